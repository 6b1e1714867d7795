#!/usr/bin/env bash
# The project's one test command: installs what the tests need when it is missing,
# builds the solution, runs every test project and the benchmarks' Node generator's tests, and ends with the totals line
#   N passed, N failed[, N skipped]
# Exits non-zero when the build or any test failed.
#
# Environment:
#   PUSHSERVER_SKIP_APT=1   do not install Debian packages (redis-server, chromium, podman, ...)
#   PUSHSERVER_SKIP_CONTAINER_BASE=1
#                           do not make the container smoke test's base images (the test is then skipped where
#                           they are not in place already)
#   TEST_RESULTS_DIR        where the .trx files and the log go (default: TestResults/ in the repository)
#   TEST_HANG_TIMEOUT       how long one test may hang before its test host is killed (default 5m)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$PWD"
CONFIGURATION=Release
RESULTS_DIR="${TEST_RESULTS_DIR:-$ROOT/TestResults}"
HANG_TIMEOUT="${TEST_HANG_TIMEOUT:-5m}"
# Debian packages the tests use: redis-server for the Redis adapter tests (two or more
# servers against one real redis), chromium for the browser client tests, haproxy for the
# sticky-session test of a cluster behind a load balancer, podman, runc and debootstrap for the container smoke
# test (scripts/container-smoke.sh), python3-socketio (with its client's requests and websocket) for the Python client
# tests (tests/python).
APT_PACKAGES=(redis-server chromium haproxy podman runc debootstrap python3-socketio python3-requests python3-websocket)

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf 'test.sh: %s\n' "$*"; }

# Prints the totals line (always the last line of the run) and exits.
finish() {
  local passed=$1 failed=$2 skipped=$3 code=$4
  local line="$passed passed, $failed failed"
  if [ "$skipped" -gt 0 ]; then line="$line, $skipped skipped"; fi
  echo "$line"
  exit "$code"
}

install_apt_packages() {
  if [ "${PUSHSERVER_SKIP_APT:-}" = "1" ]; then return 0; fi
  local wanted=("${APT_PACKAGES[@]}") missing=() pkg
  # Node.js itself, on a machine that lacks it (Debian's nodejs is recent enough).
  if ! command -v node >/dev/null 2>&1; then wanted+=(nodejs npm); fi
  for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); else
      log "warning: cannot install ${missing[*]} (not root, no sudo); tests that need them will fail"
      return 0
    fi
  fi
  log "installing Debian packages: ${missing[*]}"
  local apt_log
  apt_log=$(mktemp)
  # A failed install is reported but does not stop the run: only the tests that need
  # the package fail, with their own message.
  if ! { "${sudo[@]}" apt-get update -qq \
    && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >"$apt_log" 2>&1; then
    tail -n 20 "$apt_log"
    log "warning: could not install ${missing[*]}; tests that need them will fail"
  fi
  rm -f "$apt_log"
}

# npm_ci DIR: installs DIR's committed lockfile. npm ci leaves node_modules/.package-lock.json behind: reinstall
# when it is missing or older than the lockfile.
npm_ci() {
  local dir="$ROOT/$1"
  if [ -f "$dir/node_modules/.package-lock.json" ] \
    && [ ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    return 0
  fi
  log "installing Node packages (npm ci in $1)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}

install_apt_packages
# tests/node: the Node clients the .NET tests drive; bench/node-generator: the second load generator, tested below.
if ! npm_ci tests/node || ! npm_ci bench/node-generator; then
  log "npm ci failed"
  finish 0 1 0 1
fi

# The container smoke test builds the Dockerfile on stand-ins of its base images; making them takes minutes, too long
# for one test, so it is done here, beside the build, where rootful podman is available. When it fails the test is
# skipped with the reason (the rest of the run is not held back by a Debian mirror or podman trouble).
CONTAINER_BASE_PID=""
start_container_base() {
  if [ "${PUSHSERVER_SKIP_CONTAINER_BASE:-}" = "1" ] || [ "$(id -u)" -ne 0 ] || ! command -v podman >/dev/null 2>&1; then
    return 0
  fi
  log "making the container smoke test's base images (in the background)"
  timeout 1200 bash "$ROOT/scripts/container-smoke.sh" --make-base >"$RESULTS_DIR/container-base.log" 2>&1 &
  CONTAINER_BASE_PID=$!
}
wait_container_base() {
  [ -n "$CONTAINER_BASE_PID" ] || return 0
  if ! wait "$CONTAINER_BASE_PID"; then
    tail -n 20 "$RESULTS_DIR/container-base.log"
    log "warning: could not make the container base images; the container smoke test will be skipped"
  fi
  CONTAINER_BASE_PID=""
}

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
start_container_base

log "building ($CONFIGURATION)"
if ! dotnet build PushServer.sln -c "$CONFIGURATION" -nologo -clp:ErrorsOnly; then
  log "build failed"
  wait_container_base
  finish 0 1 0 1
fi
wait_container_base

log "running tests"
set +e
# --blame-hang-timeout: a hung test kills its test host (after 5 minutes) instead of eating
# the CI budget; no dump, just the name of the hanging test in the log.
dotnet test PushServer.sln -c "$CONFIGURATION" --no-build -nologo \
  --results-directory "$RESULTS_DIR" \
  --logger "trx;LogFilePrefix=tests" \
  --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none 2>&1 | tee "$RESULTS_DIR/dotnet-test.log"
test_exit=${PIPESTATUS[0]}
set -e

# Each test project that ran prints one summary, e.g.
#   Passed!  - Failed:     0, Passed:    10, Skipped:     0, Total:    10, Duration: 7 s - X.dll (net10.0)
read -r passed failed skipped < <(
  grep -Eo '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$RESULTS_DIR/dotnet-test.log" \
    | awk -F'[^0-9]+' '{ f += $2; p += $3; s += $4 } END { printf "%d %d %d\n", p, f, s }'
)

# The benchmarks' Node generator, end to end against the executable just built (node:test, TAP summary lines).
log "running bench/node-generator's tests"
node_exit=0
(cd bench/node-generator && timeout 600 node --test --test-reporter=tap test/) >"$RESULTS_DIR/node-generator.tap" 2>&1 || node_exit=$?
node_passed=$(awk '/^# pass /{ print $3 }' "$RESULTS_DIR/node-generator.tap")
node_failed=$(awk '/^# fail /{ print $3 }' "$RESULTS_DIR/node-generator.tap")
if [ "$node_exit" -ne 0 ] && [ "${node_failed:-0}" -eq 0 ]; then
  tail -n 20 "$RESULTS_DIR/node-generator.tap"
  log "bench/node-generator's tests exited with $node_exit"
  node_failed=1
fi
log "bench/node-generator: ${node_passed:-0} passed, ${node_failed:-0} failed"
passed=$((passed + ${node_passed:-0}))
failed=$((failed + ${node_failed:-0}))

if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The run failed without a failed test on record: a crashed or hung test host.
  log "dotnet test exited with $test_exit"
  failed=1
fi
if [ "$failed" -gt 0 ]; then
  finish "$passed" "$failed" "$skipped" 1
fi
if [ "$passed" -eq 0 ]; then
  log "warning: no test ran"
fi
finish "$passed" "$failed" "$skipped" 0
