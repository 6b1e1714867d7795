#!/usr/bin/env bash
# From the first second: how a freshly started server does on its very first pushes against the same server after
# 60 awaited warm-up pushes, for the plain build (JIT-compiled as code gets hot) and for a ReadyToRun publish (the
# server's code compiled ahead of time, as the container image ships it). 10,000 WebSocket clients receive 20 single
# broadcasts, each awaited until every client has it; every run starts the server fresh, and RUNS (default 3) rounds
# alternate the four cases. Then bench/startup.sh times both builds' start-up. Prints the generator's JSON lines and a
# table of medians with min–max, and the ratio of each build's cold figures to its warm ones. Loopback only.
#
#   bench/cold-start.sh [RESULTS.jsonl]     (RUNS, CLIENTS=10000, GENERATOR=loadgen|node override)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results=${1:-$(mktemp --suffix=.jsonl)}
runs=${RUNS:-3}
clients=${CLIENTS:-10000}
generator=${GENERATOR:-loadgen}
published=$(mktemp -d)

ulimit -n 20000
dotnet build "$root/src/PushServer" -c Release -v quiet -nologo >/dev/null
# The same publish as the Dockerfile's.
dotnet publish "$root/src/PushServer" -c Release -o "$published" --no-self-contained --use-current-runtime \
  -p:PublishReadyToRun=true -v quiet -nologo >/dev/null
dotnet build "$root/bench/PushServer.LoadGenerator" -c Release -v quiet -nologo >/dev/null
case "$generator" in
  loadgen) command=("$root/bench/PushServer.LoadGenerator/bin/Release/net10.0/loadgen") ;;
  node)
    (cd "$root/bench/node-generator" && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    command=(node "$root/bench/node-generator/generator.js") ;;
  *) echo "unknown generator $generator (loadgen, node)" >&2; exit 2 ;;
esac
declare -A builds=([jit]="$root/src/PushServer/bin/Release/net10.0/pushserver.dll" [r2r]="$published/pushserver.dll")

# shellcheck source=bench/lib/servers.sh
. "$root/bench/lib/servers.sh"
trap 'stop_server; rm -rf "$published"' EXIT

for _ in $(seq 1 "$runs"); do
  for warmup in 0 60; do
    for build in jit r2r; do
      start_pushserver "${builds[$build]}" || { stop_server; continue; }
      timeout 300 "${command[@]}" broadcast --clients "$clients" --broadcasts 20 --warmup-broadcasts "$warmup" \
        --server 127.0.0.1:"$port" --push http://127.0.0.1:"$push_port"/ --server-pid "$server_pid" --label "$build" \
        | tee -a "$results" || echo "run failed: $build warm-up $warmup" >&2
      stop_server
    done
  done
done

python3 - "$results" <<'EOF'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
def figures(build, warmup):
    mine = [r for r in rows if r["server"] == build and r["warmupBroadcasts"] == warmup]
    return [r["deliveriesPerServerCpuSecond"] for r in mine], [r["latencyP99Ms"] for r in mine]
def spread(values):
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})" if values else "–"
generator = rows[0].get("generator", "loadgen") if rows else "?"
print(f"\n| build | generator | pushes before measuring | runs | deliveries per server CPU-second | p99 ms |")
print("|---|---|---|---|---|---|")
for build in ("jit", "r2r"):
    for warmup in (0, 60):
        per_cpu, p99 = figures(build, warmup)
        print(f"| {build} | {generator} | {warmup} | {len(per_cpu)} | {spread(per_cpu)} | {spread(p99)} |")
print()
for build in ("jit", "r2r"):
    (cold_cpu, cold_p99), (warm_cpu, warm_p99) = figures(build, 0), figures(build, 60)
    if cold_cpu and warm_cpu:
        print(f"{build}: cold/warm deliveries per CPU-second {statistics.median(cold_cpu) / statistics.median(warm_cpu):.3f}, "
              f"p99 {statistics.median(cold_p99) / statistics.median(warm_p99):.3f}")
EOF
echo "raw results: $results" >&2
RUNS=$((runs * 3)) "$root/bench/startup.sh" jit="${builds[jit]}" r2r="${builds[r2r]}" | tail -n 4
