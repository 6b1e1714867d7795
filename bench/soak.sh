#!/usr/bin/env bash
# Soak run (not part of CI): the pushserver executable holds SOAK_CLIENTS WebSocket clients for SOAK_SECONDS with
# steady pushes and reconnect churn, while the server's RSS is sampled; ends with whether memory stayed flat.
# Loopback only; bounded by SOAK_SECONDS (plus the time to open the clients).
#
#   bench/soak.sh [RESULT.json]
#
# Environment (defaults): SOAK_CLIENTS 5000, SOAK_SECONDS 600, SOAK_BPS 2 (pushes per second to every client),
# SOAK_CHURN 10 (clients dropped and replaced per second), SOAK_SAMPLE 10 (seconds between RSS samples),
# SOAK_WARMUP 60 (seconds left out of the memory trend), SOAK_EIO 4.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
result=${1:-$(mktemp --suffix=.json)}
clients=${SOAK_CLIENTS:-5000}
seconds=${SOAK_SECONDS:-600}

ulimit -n 20000 2>/dev/null || true
dotnet build "$root/src/PushServer" -c Release -v quiet -nologo >/dev/null
dotnet build "$root/bench/PushServer.LoadGenerator" -c Release -v quiet -nologo >/dev/null
loadgen="$root/bench/PushServer.LoadGenerator/bin/Release/net10.0/loadgen"

# shellcheck source=bench/lib/servers.sh
. "$root/bench/lib/servers.sh"
trap stop_server EXIT
start_pushserver "$root/src/PushServer/bin/Release/net10.0/pushserver.dll"

# The hold time, plus five minutes to open the clients and close them again.
timeout $((seconds + 300)) "$loadgen" soak --server 127.0.0.1:"$port" --push http://127.0.0.1:"$push_port"/ \
  --server-pid "$server_pid" --clients "$clients" --seconds "$seconds" --bps "${SOAK_BPS:-2}" --churn "${SOAK_CHURN:-10}" \
  --sample-seconds "${SOAK_SAMPLE:-10}" --warmup-seconds "${SOAK_WARMUP:-60}" --eio "${SOAK_EIO:-4}" | tee "$result"

python3 - "$result" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
# A trend needs samples after the warm-up: a run too short for them reports null, shown as n/a.
def signed(key, digits):
    return "n/a" if r.get(key) is None else f"{r[key]:+.{digits}f}"
print(f"soak: {r['clients']} clients for {r['seconds']:.0f} s, {r['pushes']} pushes, {r['reconnects']} reconnects, "
      f"{r['unexpectedCloses']} unexpected closes; server RSS {r['serverRssAtStartMiB']:.0f} -> {r['serverRssAtEndMiB']:.0f} MiB, "
      f"trend after warm-up {signed('rssSlopeMiBPerMinute', 2)} MiB/min ({signed('rssGrowthAfterWarmupMiB', 1)} MiB), "
      f"over the second half {signed('rssSlopeSecondHalfMiBPerMinute', 2)} MiB/min ({signed('rssGrowthSecondHalfMiB', 1)} MiB): "
      + ("memory flat" if r['memoryFlat'] else "memory NOT flat"))
PY
