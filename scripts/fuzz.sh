#!/usr/bin/env bash
# Fuzzes the decoders that read untrusted bytes, each for a bounded time, and reports what crashed.
#
#   scripts/fuzz.sh                      every target, FUZZ_SECONDS each
#   scripts/fuzz.sh sio-packet push-body only these targets
#
# Targets (fuzz/PushServer.Fuzzing): eio4-payload, eio3-payload, sio-packet, push-body; each starts from its seed
# corpus in fuzz/corpus/TARGET. A crash is any exception other than the decoder's own refusal (see FuzzTargets.cs).
#
# Environment:
#   FUZZ_SECONDS      fuzzing time per target (default 60)
#   FUZZ_OUT          work folder: published build, instrumented assemblies, findings (default artifacts/fuzz)
#   FUZZ_TIMEOUT_MS   time one input may take before afl-fuzz calls it a hang (default 5000)
#
# Needs afl-fuzz (Debian's afl++, installed here when missing and run as root) and the SharpFuzz.CommandLine
# tool (installed into FUZZ_OUT). Exits 1 when a target crashed; each crash is replayed and its exception printed.
# To reproduce one by hand: dotnet FUZZ_OUT/bin/pushserver-fuzz.dll TARGET FILE (the plain, uninstrumented build)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
OUT="${FUZZ_OUT:-$ROOT/artifacts/fuzz}"
TIMEOUT_MS="${FUZZ_TIMEOUT_MS:-5000}"
SHARPFUZZ_VERSION=2.3.0
ALL_TARGETS=(eio4-payload eio3-payload sio-packet push-body)
# The project's own assemblies: only these are instrumented, so coverage guides the fuzzer through our code.
INSTRUMENTED=(PushServer.EngineIO.dll PushServer.SocketIO.dll pushserver.dll)

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

log() { printf 'fuzz.sh: %s\n' "$*"; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=("${ALL_TARGETS[@]}"); fi

if ! command -v afl-fuzz >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    log "afl-fuzz is missing: install Debian's afl++ (apt-get install afl++)"
    exit 2
  fi
  log "installing afl++"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi

mkdir -p "$OUT"
SHARPFUZZ="$OUT/tools/sharpfuzz"
if [ ! -x "$SHARPFUZZ" ]; then
  log "installing SharpFuzz.CommandLine $SHARPFUZZ_VERSION"
  dotnet tool install SharpFuzz.CommandLine --version "$SHARPFUZZ_VERSION" --tool-path "$OUT/tools" >/dev/null
fi

log "publishing fuzz/PushServer.Fuzzing"
rm -rf "$OUT/bin" "$OUT/afl"
dotnet publish "$ROOT/fuzz/PushServer.Fuzzing" -c Release -o "$OUT/bin" -nologo -clp:ErrorsOnly >/dev/null
# Instrumented code reports coverage into afl-fuzz's shared memory and cannot run without it, so afl-fuzz gets an
# instrumented copy and replays use the plain build.
cp -r "$OUT/bin" "$OUT/afl"
for dll in "${INSTRUMENTED[@]}"; do
  "$SHARPFUZZ" "$OUT/afl/$dll" >/dev/null
done
FUZZ_DLL="$OUT/bin/pushserver-fuzz.dll"
AFL_DLL="$OUT/afl/pushserver-fuzz.dll"

# afl-fuzz runs `dotnet`, which carries no instrumentation of its own; the .NET side reports coverage.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1

total_crashes=0
summary=()
for target in "${targets[@]}"; do
  corpus="$ROOT/fuzz/corpus/$target"
  if [ ! -d "$corpus" ]; then
    log "unknown target $target (no $corpus)"
    exit 2
  fi
  # afl-fuzz stops at a seed that crashes, so the seeds are replayed first: a failing seed is a crash already.
  log "$target: replaying the seed corpus"
  if ! dotnet "$FUZZ_DLL" "$target" "$corpus"; then
    log "$target: the seed corpus fails; fix that first"
    total_crashes=$((total_crashes + 1))
    summary+=("$target: seed corpus fails")
    continue
  fi
  findings="$OUT/findings/$target"
  rm -rf "$findings"
  mkdir -p "$OUT/findings"
  log "$target: fuzzing for ${SECONDS_PER_TARGET}s"
  afl-fuzz -i "$corpus" -o "$findings" -t "$TIMEOUT_MS" -m none -V "$SECONDS_PER_TARGET" \
    -- dotnet "$AFL_DLL" "$target" >"$OUT/$target.afl.log" 2>&1 || {
      tail -n 30 "$OUT/$target.afl.log"
      log "$target: afl-fuzz failed (log: $OUT/$target.afl.log)"
      total_crashes=$((total_crashes + 1))
      summary+=("$target: afl-fuzz failed")
      continue
    }
  stats="$findings/default/fuzzer_stats"
  execs=$(awk -F': *' '/^execs_done/ {print $2}' "$stats")
  paths=$(awk -F': *' '/^corpus_count/ {print $2}' "$stats")
  crashes=$(find "$findings/default/crashes" -name 'id:*' 2>/dev/null | wc -l)
  hangs=$(find "$findings/default/hangs" -name 'id:*' 2>/dev/null | wc -l)
  summary+=("$target: $execs executions, $paths corpus entries, $crashes crashes, $hangs hangs")
  if [ "$crashes" -gt 0 ]; then
    total_crashes=$((total_crashes + crashes))
    log "$target: $crashes crash(es); replaying them:"
    dotnet "$FUZZ_DLL" "$target" "$findings/default/crashes" | grep -v '^\s*at ' || true
  fi
  if [ "$hangs" -gt 0 ]; then
    log "$target: $hangs input(s) took longer than ${TIMEOUT_MS} ms: $findings/default/hangs"
  fi
done

log "summary"
printf '  %s\n' "${summary[@]}"
if [ "$total_crashes" -gt 0 ]; then
  log "crashes found"
  exit 1
fi
log "no crashes"
