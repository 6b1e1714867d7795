#!/usr/bin/env bash
# Runs one of socket.io's protocol test-suites against the conformance server.
#
#   e2e/run-protocol-suite.sh SUITE_DIR engineio|socketio [--allow-eio3] [--race-free]
#
# SUITE_DIR is the suite's test-suite/ folder from a clone of socketio/engine.io-protocol
# (branch main for v4, branch v3 for v3) or socketio/socket.io-protocol. The suite is copied to
# a scratch folder, pointed at 127.0.0.1:3000 (it hard-codes localhost, which may resolve to ::1),
# and run with mocha while the conformance server listens on port 3000.
#
# --race-free replaces the suite's waitFor() helper with one that keeps events delivered in the
# same tick as the one a test was waiting for. The original loses a frame when two arrive in one
# TCP read (Node's ws client emits both before the test's next await registers its listener),
# which happens with any server that writes back-to-back frames, Node's own included.
set -euo pipefail

suite_dir=${1:?usage: run-protocol-suite.sh SUITE_DIR engineio|socketio [--allow-eio3] [--race-free]}
mode=${2:?usage: run-protocol-suite.sh SUITE_DIR engineio|socketio [--allow-eio3] [--race-free]}
shift 2
server_args=()
race_free=0
for arg in "$@"; do
  case "$arg" in
    --allow-eio3) server_args+=(--allow-eio3) ;;
    --race-free) race_free=1 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cp -r "$suite_dir"/. "$work"/
sed -i 's#http://localhost:3000#http://127.0.0.1:3000#' "$work/test-suite.js"
if [ "$race_free" = 1 ]; then
  node - "$work/test-suite.js" <<'JS'
const fs = require("fs");
const file = process.argv[2];
const source = fs.readFileSync(file, "utf8");
const start = source.indexOf("function waitFor(socket, eventType) {");
const end = source.indexOf("\n}\n", start) + 3;
if (start < 0 || end < 3) throw new Error("waitFor() not found in " + file);
const replacement = `const socketStates = new WeakMap();
function waitFor(socket, eventType) {
  let state = socketStates.get(socket);
  if (!state) {
    state = { window: false, byType: {} };
    socketStates.set(socket, state);
    for (const type of new Set(["open", "message", "close", "error", eventType])) {
      const queue = (state.byType[type] = { events: [], waiters: [] });
      socket.addEventListener(type, (event) => {
        if (queue.waiters.length) {
          queue.waiters.shift()(event);
          // Events delivered in the same tick as this one (same TCP read) are kept for the test's
          // next waitFor; anything later with nobody waiting is dropped, as the original does.
          if (!state.window) {
            state.window = true;
            setImmediate(() => {
              state.window = false;
              for (const q of Object.values(state.byType)) q.events.length = 0;
            });
          }
        } else if (state.window) {
          queue.events.push(event);
        }
      });
    }
  }
  const queue = state.byType[eventType];
  if (queue.events.length) return Promise.resolve(queue.events.shift());
  return new Promise((resolve) => queue.waiters.push(resolve));
}
`;
fs.writeFileSync(file, source.slice(0, start) + replacement + source.slice(end));
JS
fi

(cd "$work" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
dotnet build "$root/e2e/ConformanceServer" -c Release -v quiet -nologo >/dev/null
dotnet "$root/e2e/ConformanceServer/bin/Release/net10.0/ConformanceServer.dll" "$mode" --port 3000 "${server_args[@]}" &
server_pid=$!
for _ in $(seq 1 100); do
  if (exec 3<>/dev/tcp/127.0.0.1/3000) 2>/dev/null; then break; fi
  sleep 0.1
done
(cd "$work" && npx mocha test-suite.js)
