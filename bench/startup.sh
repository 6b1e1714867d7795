#!/usr/bin/env bash
# Start-up time of the pushserver executable: for each build given, starts `pushserver start` RUNS times (default 10),
# alternating the builds run by run, and measures the wall time from the process's start until its Socket.IO port
# answers an Engine.IO handshake, and the server's CPU time and resident memory at that moment (from /proc). Prints
# one JSON line per start and, last, a Markdown table of medians with min–max per build. Loopback only.
#
#   bench/startup.sh LABEL=PATH/pushserver.dll [LABEL=PATH/pushserver.dll ...]
#
# e.g. the build output against a ReadyToRun publish:
#   dotnet build src/PushServer -c Release
#   dotnet publish src/PushServer -c Release --use-current-runtime --self-contained false -o /tmp/pushserver-r2r
#   bench/startup.sh jit=src/PushServer/bin/Release/net10.0/pushserver.dll r2r=/tmp/pushserver-r2r/pushserver.dll
set -euo pipefail

[ $# -gt 0 ] || { sed -n 2,12p "$0" >&2; exit 2; }
runs=${RUNS:-10}
ticks=$(getconf CLK_TCK)
results=$(mktemp)
# shellcheck source=bench/lib/servers.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"
trap 'stop_server; rm -f "$results"' EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }

for _ in $(seq 1 "$runs"); do
  for build in "$@"; do
    label=${build%%=*} dll=${build#*=}
    port=$(free_port); push_port=$(free_port)
    started=$(now_ms)
    dotnet "$dll" start --port "$port" --push-port "$push_port" --bind 127.0.0.1 --log-level Warning >/dev/null 2>&1 &
    server_pid=$!
    ready=
    # Polled every 10 ms for at most 30 s; each try is one handshake over a fresh connection.
    for _ in $(seq 1 3000); do
      if curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$port/socket.io/?EIO=4&transport=polling"; then ready=$(now_ms); break; fi
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.01
    done
    [ -n "$ready" ] || { echo "$label did not start" >&2; exit 1; }
    read -r utime stime < <(awk '{print $14, $15}' "/proc/$server_pid/stat")
    rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status")
    printf '{"label":"%s","startMs":%d,"cpuMs":%d,"rssMb":%.1f}\n' "$label" $((ready - started)) \
      $(((utime + stime) * 1000 / ticks)) "$(echo "$rss_kb / 1024" | bc -l)" | tee -a "$results"
    stop_server
  done
done

python3 - "$results" <<'EOF'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print("| build | starts | ready after ms, median (min–max) | CPU ms | RSS MB |")
print("|---|---|---|---|---|")
for label in dict.fromkeys(r["label"] for r in rows):
    mine = [r for r in rows if r["label"] == label]
    def cell(key):
        values = [r[key] for r in mine]
        return f"{statistics.median(values):g} ({min(values):g}–{max(values):g})"
    print(f"| {label} | {len(mine)} | {cell('startMs')} | {cell('cpuMs')} | {cell('rssMb')} |")
EOF
