#!/usr/bin/env bash
# Makes the Admin UI screenshots in docs/images (admin-ui-dashboard.png, admin-ui-sockets.png,
# admin-ui-socket-details.png, admin-ui-rooms.png): builds the server in Release, starts it on 127.0.0.1 with ports
# chosen by the system and the Admin UI enabled (a throw-away password), and runs tests/node/admin-ui-screenshots.js,
# which connects a few socket.io clients, makes some traffic and photographs the page served at /admin/ in headless
# Chromium. The server is stopped by its process id at the end, also on failure. About a minute.
#
# Needs the .NET SDK, Node.js with tests/node's packages installed (npm ci in tests/node), and Chromium
# (/usr/bin/chromium, or CHROMIUM_PATH).
#
#   scripts/admin-ui-screenshots.sh [OUTPUT_DIR]   (default docs/images)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$root/docs/images}")"
mkdir -p "$out"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build "$root/src/PushServer" -c Release --nologo -v quiet >/dev/null
password="screenshot-$RANDOM$RANDOM"
hash="$(cd "$root/tests/node" && node -e 'process.stdout.write(require("bcryptjs").hashSync(process.argv[1], 10))' "$password")"

PUSHSERVER_AdminUi__Enabled=true PUSHSERVER_AdminUi__Username=admin PUSHSERVER_AdminUi__PasswordHash="$hash" \
PUSHSERVER_AdminUi__ServerId=push-1 \
  dotnet "$root/src/PushServer/bin/Release/net10.0/pushserver.dll" start --bind 127.0.0.1 --port 0 --push-port 0 \
  >"$work/server.log" 2>&1 &
server_pid=$!

listening=""
for _ in $(seq 1 300); do
  listening="$(grep -o 'Socket.IO on http://127.0.0.1:[0-9]*/socket.io/, push API on http://127.0.0.1:[0-9]*' "$work/server.log" || true)"
  [[ -n "$listening" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
[[ -n "$listening" ]] || { echo "the server did not report its ports:"; cat "$work/server.log"; exit 1; }
io_port="$(sed -E 's|Socket.IO on http://127.0.0.1:([0-9]+)/.*|\1|' <<<"$listening")"
push_port="$(sed -E 's|.*push API on http://127.0.0.1:([0-9]+)|\1|' <<<"$listening")"

config="$(printf '{"url":"http://127.0.0.1:%s/admin/","username":"admin","password":"%s","socketIOUrl":"http://127.0.0.1:%s","pushUrl":"http://127.0.0.1:%s/","outDir":"%s"}' \
  "$push_port" "$password" "$io_port" "$push_port" "$out")"
(cd "$root/tests/node" && node admin-ui-screenshots.js "$config")
