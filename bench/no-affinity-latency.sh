#!/usr/bin/env bash
# Push-to-receipt latency of long-polling clients behind haproxy in front of 3 pushserver nodes on one Redis, with
# affinity (haproxy `balance source`: every request of a client reaches the node that holds its session) and without
# it (`balance roundrobin`: most polls land on another node, which relays them to the owner). Each run starts Redis,
# the nodes and haproxy afresh; runs of the two modes are interleaved. The load generator (loadgen broadcast,
# polling-only clients) pushes at a steady rate through one node's push API and times every receipt.
# Loopback only; every run is bounded in time; everything started is stopped by PID.
#
#   bench/no-affinity-latency.sh [RESULTS.jsonl]     RUNS (3), CLIENTS (300), BPS (10), SECONDS_PER_RUN (20) override
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results=${1:-$(mktemp --suffix=.jsonl)}
runs=${RUNS:-3}
clients=${CLIENTS:-300}
bps=${BPS:-10}
seconds=${SECONDS_PER_RUN:-20}

command -v redis-server >/dev/null && command -v haproxy >/dev/null \
  || { echo "needs redis-server and haproxy (Debian packages of those names)" >&2; exit 1; }
ulimit -n 20000 2>/dev/null || true
dotnet build "$root/src/PushServer" -c Release -v quiet -nologo >/dev/null
dotnet build "$root/bench/PushServer.LoadGenerator" -c Release -v quiet -nologo >/dev/null
loadgen="$root/bench/PushServer.LoadGenerator/bin/Release/net10.0/loadgen"
work=$(mktemp -d)

pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'stop_all; rm -rf "$work"' EXIT

# shellcheck source=bench/lib/servers.sh
. "$root/bench/lib/servers.sh"

# start_cluster MODE: Redis, 3 nodes and haproxy; sets haproxy_port, push_port (node 1's) and node1_pid
start_cluster() {
  local balance=$1 redis_port node_ports=() i port
  redis_port=$(free_port)
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no >/dev/null 2>&1 &
  pids+=($!)
  wait_for_port "$redis_port" redis-server
  for i in 1 2 3; do
    port=$(free_port)
    local push=$(free_port)
    dotnet "$root/src/PushServer/bin/Release/net10.0/pushserver.dll" start --port "$port" --push-port "$push" \
      --bind 127.0.0.1 --redis "redis://127.0.0.1:$redis_port" --log-level Warning >/dev/null 2>&1 &
    pids+=($!)
    if [ "$i" = 1 ]; then push_port=$push; node1_pid=$!; fi
    node_ports+=("$port")
    wait_for_port "$push" "node $i"
  done
  for port in "${node_ports[@]}"; do wait_for_port "$port" "a node's Socket.IO port"; done
  # Every node is in the node directory before any client connects, so no relay has to wait for a lookup.
  for _ in $(seq 1 200); do
    [ "$(redis-cli -p "$redis_port" hlen 'socket.io#pushserver#nodes')" = 3 ] && break
    sleep 0.05
  done
  # Each node reads the node directory again when it misses a tag (at most once a second): have every node look up
  # every other one now (a session of each polled through the others), so no relay in the measured runs waits for
  # that read.
  local owner via sid
  for owner in "${node_ports[@]}"; do
    sid=$(curl -s "http://127.0.0.1:$owner/socket.io/?EIO=4&transport=polling" | sed -n 's/.*"sid":"\([^"]*\)".*/\1/p')
    curl -s -o /dev/null --max-time 5 -d 40 "http://127.0.0.1:$owner/socket.io/?EIO=4&transport=polling&sid=$sid" || true
    # The first poll answers the CONNECT at once; later ones are held, so they are cut short (the session ends then).
    for via in "${node_ports[@]}"; do
      [ "$via" = "$owner" ] || curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$via/socket.io/?EIO=4&transport=polling&sid=$sid" || true
    done
  done
  haproxy_port=$(free_port)
  {
    printf 'global\n    maxconn 4000\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 60s\n'
    printf '    timeout server 60s\nfrontend socketio\n    bind 127.0.0.1:%s\n    default_backend pushserver\n' "$haproxy_port"
    printf 'backend pushserver\n    balance %s\n' "$balance"
    for i in 0 1 2; do printf '    server node%s 127.0.0.1:%s\n' "$i" "${node_ports[$i]}"; done
  } >"$work/haproxy.cfg"
  haproxy -db -f "$work/haproxy.cfg" >/dev/null 2>&1 &
  pids+=($!)
  wait_for_port "$haproxy_port" haproxy
}

run() { # run LABEL BALANCE
  start_cluster "$2"
  timeout 300 "$loadgen" broadcast --server 127.0.0.1:"$haproxy_port" --push http://127.0.0.1:"$push_port"/ \
    --server-pid "$node1_pid" --transport polling --clients "$clients" --bps "$bps" --seconds "$seconds" \
    --drain-seconds 20 ${LOADGEN_ARGS:-} --label "$1" | tee -a "$results" >&2 || echo "run failed: $1" >&2
  stop_all
}

for r in $(seq 1 "$runs"); do
  # Alternate which mode goes first, so neither always runs on a machine the other just warmed or loaded.
  if [ $((r % 2)) = 1 ]; then
    run affinity source; run no-affinity roundrobin
  else
    run no-affinity roundrobin; run affinity source
  fi
done

python3 - "$results" <<'PY'
import json, sys, statistics
rows = {}
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("{"):
        r = json.loads(line)
        rows.setdefault(r.get("server"), []).append(r)
print("| balancer | runs | delivered % | p50 ms, median (min–max) | p99 ms, median (min–max) |")
print("|---|---|---|---|---|")
for label in ("affinity", "no-affinity"):
    rs = rows.get(label, [])
    if not rs:
        continue
    def cell(key):
        v = [r[key] for r in rs]
        return f"{statistics.median(v):.1f} ({min(v):.1f}–{max(v):.1f})"
    delivered = min(r["deliveredPercent"] for r in rs)
    print(f"| {label} | {len(rs)} | ≥ {delivered:.2f} | {cell('latencyP50Ms')} | {cell('latencyP99Ms')} |")
PY
echo "results: $results" >&2
