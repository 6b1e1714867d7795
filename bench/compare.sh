#!/usr/bin/env bash
# Runs the same scenarios against the pushserver executable and the Node reference server (socket.io 4.8,
# bench/reference), each started fresh for every run, 3 runs each, with each load generator (loadgen, the .NET one
# in bench/PushServer.LoadGenerator, and node, the Node one in bench/node-generator), and prints a Markdown table
# of medians with min–max and the ratio PushServer / reference, one row per scenario, generator and figure.
# Loopback only; every run is bounded.
#
#   bench/compare.sh [RESULTS.jsonl]        (QUICK=1 for a short smoke run with small client counts;
#                                            GENERATORS="loadgen" or "node" for one generator, default both;
#                                            ONLY=REGEX runs only the groups below that match it, e.g. ONLY='bps 2';
#                                            BASELINE=DLL also measures another pushserver build, labelled baseline,
#                                            in every round, and adds a table of this build against it: an A/B of a
#                                            change, e.g. the previous commit's bin/Release/net10.0/pushserver.dll)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results=${1:-$(mktemp --suffix=.jsonl)}
runs=${RUNS:-3}
big=${BIG_N:-10000}
small=${SMALL_N:-1000}
read -r -a generators <<<"${GENERATORS:-loadgen node}"
if [ "${QUICK:-}" = 1 ]; then runs=1; big=500; small=100; fi

ulimit -n 20000 2>/dev/null || true
dotnet build "$root/src/PushServer" -c Release -v quiet -nologo >/dev/null
dotnet build "$root/bench/PushServer.LoadGenerator" -c Release -v quiet -nologo >/dev/null
for package in reference node-generator; do
  (cd "$root/bench/$package" && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null)
done
loadgen="$root/bench/PushServer.LoadGenerator/bin/Release/net10.0/loadgen"
declare -A generator_command=([loadgen]="$loadgen" [node]="node $root/bench/node-generator/generator.js")
for generator in "${generators[@]}"; do
  [ -n "${generator_command[$generator]:-}" ] || { echo "unknown generator $generator (loadgen, node)" >&2; exit 2; }
done

# shellcheck source=bench/lib/servers.sh
. "$root/bench/lib/servers.sh"
trap stop_server EXIT

# start_server pushserver|reference: sets server_pid, port, push_port
start_server() {
  case "$1" in
    pushserver) start_pushserver "$root/src/PushServer/bin/Release/net10.0/pushserver.dll" ;;
    baseline) start_pushserver "$BASELINE" ;;
    reference) start_reference ;;
  esac
}

run() { # run GENERATOR LABEL SCENARIO ARGS...
  local generator=$1 label=$2 scenario=$3; shift 3
  start_server "$label"
  # shellcheck disable=SC2086 # the command is a program and its script
  timeout 300 ${generator_command[$generator]} "$scenario" --server 127.0.0.1:"$port" --push http://127.0.0.1:"$push_port"/ \
    --server-pid "$server_pid" --label "$label" "$@" | tee -a "$results" >&2 || echo "run failed: $generator $label $scenario $*" >&2
  stop_server
}

# Single broadcasts come 20 at a time: with 5, the measured window held about half a second of server CPU, read in
# 10 ms ticks, and one-off events in it (a background GC, the kernel still tearing down the previous run's sockets)
# moved deliveries per CPU-second by a fifth between runs.
# Each line is a group: its scenarios ("|" between them) run interleaved, run by run, so figures compared with each
# other (EIO=3 against EIO=4) meet the same state of a shared, noisy machine rather than runs minutes apart.
groups=(
  "idle --clients $small"
  "idle --clients $big"
  "broadcast --clients $small --broadcasts 20"
  "broadcast --clients $big --broadcasts 20|broadcast --clients $big --broadcasts 20 --eio 3"
  "broadcast --clients $big --bps 2 --seconds 5"
  "broadcast --clients $big --bps 10 --seconds 5 --drain-seconds 20"
  "echo --clients 100 --seconds 10|echo --clients 100 --seconds 10 --eio 3"
  "broadcast --clients $small --broadcasts 20 --transport polling|broadcast --clients $small --broadcasts 20 --transport polling --eio 3"
)
labels=(pushserver reference)
if [ -n "${BASELINE:-}" ]; then
  [ -f "$BASELINE" ] || { echo "BASELINE=$BASELINE: no such file" >&2; exit 2; }
  labels=(baseline pushserver reference)
fi
for group in "${groups[@]}"; do
  if [ -n "${ONLY:-}" ] && ! [[ $group =~ ${ONLY} ]]; then continue; fi
  IFS='|' read -r -a scenarios <<<"$group"
  for _ in $(seq 1 "$runs"); do
    for scenario in "${scenarios[@]}"; do
      # Each generator measures the servers back to back, so a ratio compares runs minutes apart at most.
      for generator in "${generators[@]}"; do
        for label in "${labels[@]}"; do
          # shellcheck disable=SC2086
          run "$generator" "$label" $scenario
        done
      done
    done
  done
done

"$loadgen" report "$results"
if [ -n "${BASELINE:-}" ]; then
  echo
  "$loadgen" report "$results" pushserver baseline
fi
echo "raw results: $results" >&2
