# Shared by the bench scripts (source it): free loopback ports, a server started and waited for, and stopped again.
# The server started last is in server_pid, its ports in port and push_port. Loopback only.

server_pid=

# free_port: a TCP port nothing listens on at 127.0.0.1 (the kernel's choice, released before it is used).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# wait_for_port PORT WHAT: true once 127.0.0.1:PORT accepts a connection, within 10 s; else says WHAT did not start.
wait_for_port() {
  for _ in $(seq 1 200); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "$2 did not start" >&2; return 1
}

# start_pushserver DLL: the pushserver executable at DLL on two free ports, as bench measures it (loopback, logging
# at Warning), waited for until its push port accepts.
start_pushserver() {
  port=$(free_port); push_port=$(free_port)
  dotnet "$1" start --port "$port" --push-port "$push_port" --bind 127.0.0.1 --log-level Warning >/dev/null 2>&1 &
  server_pid=$!
  wait_for_port "$push_port" pushserver
}

# start_reference: the Node reference server (bench/reference) on two free ports, waited for likewise.
start_reference() {
  port=$(free_port); push_port=$(free_port)
  node "$(dirname "${BASH_SOURCE[0]}")/../reference/server.js" "$port" "$push_port" >/dev/null 2>&1 &
  server_pid=$!
  wait_for_port "$push_port" reference
}

# stop_server: ends the server started last, if any, and reaps it.
stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=; fi
}
