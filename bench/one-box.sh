#!/usr/bin/env bash
# The limits of one process: how the pushserver executable's memory grows with the number of idle WebSockets
# (N = 1,000, 5,000, 10,000 and 19,000, the most one process may hold under a 20,000-descriptor limit with a few
# left for itself), what 19,000 idle ones cost in CPU (heartbeats, over a 60 s hold), then broadcasts to 19,000
# clients (single pushes, each awaited until every client has it, and 2 pushes per second for 5 s), with every
# delivery counted. Each measurement starts the server fresh; RUNS (default 3) rounds go over them in turn. Prints
# loadgen's JSON lines and, last, a summary: resident memory by N (medians with min–max), the slope of a
# least-squares line through it (what one more connection costs), heartbeat CPU, CPU per delivery at 19,000, and
# what those measured figures project for a bigger box. Loopback only; every run bounded.
#
#   bench/one-box.sh [RESULTS.jsonl]       (RUNS, SIZES="1000 5000 10000 19000", BIG=19000 override)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results=${1:-$(mktemp --suffix=.jsonl)}
runs=${RUNS:-3}
read -r -a sizes <<<"${SIZES:-1000 5000 10000 19000}"
big=${BIG:-19000}

ulimit -n 20000
[ "$(ulimit -n)" -ge $((big + 200)) ] || { echo "needs ulimit -n of at least $((big + 200))" >&2; exit 2; }
dotnet build "$root/src/PushServer" -c Release -v quiet -nologo >/dev/null
dotnet build "$root/bench/PushServer.LoadGenerator" -c Release -v quiet -nologo >/dev/null
loadgen="$root/bench/PushServer.LoadGenerator/bin/Release/net10.0/loadgen"

# shellcheck source=bench/lib/servers.sh
. "$root/bench/lib/servers.sh"
trap stop_server EXIT

run() { # run SCENARIO ARGS...
  start_pushserver "$root/src/PushServer/bin/Release/net10.0/pushserver.dll" || { stop_server; return 0; }
  timeout 600 "$loadgen" "$@" --server 127.0.0.1:"$port" --push http://127.0.0.1:"$push_port"/ --server-pid "$server_pid" \
    --label pushserver | tee -a "$results" || echo "run failed: $*" >&2
  stop_server
}

for _ in $(seq 1 "$runs"); do
  for n in "${sizes[@]}"; do
    run idle --clients "$n"
  done
  # Held for 60 s, two heartbeat intervals and more: the server's CPU over it is what keeping them open costs.
  run idle --clients "$big" --hold-seconds 60 --baseline-clients 0
  run broadcast --clients "$big" --broadcasts 20
  run broadcast --clients "$big" --bps 2 --seconds 5 --drain-seconds 20
done

python3 - "$results" "$big" <<'EOF'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
big = int(sys.argv[2])
def spread(values, fmt="{:,.0f}"):
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"

idle = [r for r in rows if r["scenario"] == "idle" and r.get("holdSeconds", 3) < 10]
held = [r for r in rows if r["scenario"] == "idle" and r.get("holdSeconds", 3) >= 10]
sizes = sorted({r["clients"] for r in idle})
print("\n| idle WebSockets | runs | server RSS MiB | bytes per connection from the fresh process | bytes per connection added after the first 1,000 |")
print("|---|---|---|---|---|")
medians = []
for n in sizes:
    mine = [r for r in idle if r["clients"] == n]
    rss = [r["serverRssMiB"] for r in mine]
    medians.append((n, statistics.median(rss) * 1048576))
    added = [r["serverBytesPerAddedConnection"] for r in mine if "serverBytesPerAddedConnection" in r]
    print(f"| {n:,} | {len(mine)} | {spread(rss, '{:,.1f}')} | {spread([r['serverBytesPerConnection'] for r in mine])} | "
          + (spread(added) if added else "–") + " |")

slope = None
if len(medians) >= 2:
    xs, ys = [n for n, _ in medians], [rss for _, rss in medians]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    intercept = my - slope * mx
    print(f"\nLeast-squares line through the median RSS: {intercept / 1048576:,.1f} MiB + {slope:,.0f} bytes per connection.")
    for target in (1_000_000,):
        print(f"Projected RSS at {target:,} idle connections: {(intercept + slope * target) / 2**30:,.2f} GiB.")

if held:
    n = held[0]["clients"]
    per_second = [r["serverCpuSecondsPerSecondHeld"] for r in held]
    # v4: the server pings every 25 s (pingInterval), so each client costs one ping and one pong per 25 s.
    per_client = [cpu * 25 / n * 1e6 for cpu in per_second]
    print(f"\n{n:,} idle clients held {held[0]['holdSeconds']:g} s, {len(held)} runs: server CPU {spread(per_second, '{:.3f}')} s per second, "
          f"{spread(per_client, '{:.1f}')} µs per client per 25 s heartbeat; projected at 1,000,000 idle connections: "
          f"{statistics.median(per_second) * 1_000_000 / n:.2f} cores.")

for label, pick in (("single broadcasts", lambda r: r["ratePerSecond"] == 0), ("2 broadcasts/s", lambda r: r["ratePerSecond"] == 2)):
    mine = [r for r in rows if r["scenario"].startswith("broadcast") and r["clients"] == big and pick(r)]
    if not mine:
        continue
    per = [1e6 / r["deliveriesPerServerCpuSecond"] for r in mine]
    print(f"\n{big:,} clients, {label}, {len(mine)} runs: delivered % {spread([r['deliveredPercent'] for r in mine], '{:g}')}; "
          f"p50 ms {spread([r['latencyP50Ms'] for r in mine])}; p99 ms {spread([r['latencyP99Ms'] for r in mine])}; "
          f"deliveries per server CPU-second {spread([r['deliveriesPerServerCpuSecond'] for r in mine])} "
          f"({spread(per, '{:.1f}')} µs of CPU per delivery); disconnected {spread([r['disconnected'] for r in mine])}.")
EOF
echo "raw results: $results" >&2
