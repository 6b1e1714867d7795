"use strict";

// Many socket.io-client 4.x clients in one process, for fault tests that need hundreds of real clients without
// hundreds of processes. Each client reconnects by itself (short delays) and records the first argument of every
// "push" event it receives, in order.
//
// Config: url (required), count (required), path (default "/socket.io/"), transports (default ["websocket"]).
// Events:  ready, allConnected {connects, disconnects, recovered, fresh} (the first time every client is connected),
//          done {id, result}, commandError, fatal.
// Commands (answered by done with the same id):
//   {"op":"whenAllConnected","id":K}            result once every client is connected: {connects, disconnects, recovered, fresh}
//   {"op":"whenAllReceived","id":K,"value":V}   result once every client received a push whose first argument is V
//   {"op":"received","id":K}                    result: every client's pushes, [[v1, v2, ...], ...]

const io = require("socket.io-client");
const { report, readConfig, run } = require("./lib/driver");

const config = readConfig();
if (!config.url || !config.count) {
  process.stderr.write("config.url and config.count are required\n");
  process.exit(2);
}

const clients = [];
const totals = { connects: 0, disconnects: 0, recovered: 0, fresh: 0 };
let connected = 0;
let allConnectedReported = false;
let connectedWaiters = [];
let receivedWaiters = [];

function snapshot() {
  return Object.assign({}, totals);
}

function checkConnected() {
  if (connected !== clients.length) return;
  if (!allConnectedReported) {
    allConnectedReported = true;
    report(Object.assign({ event: "allConnected" }, snapshot()));
  }
  const waiters = connectedWaiters;
  connectedWaiters = [];
  for (const id of waiters) report({ event: "done", id, result: snapshot() });
}

function everyoneReceived(value) {
  return clients.every((c) => c.pushes.includes(value));
}

function checkReceived() {
  receivedWaiters = receivedWaiters.filter(({ id, value }) => {
    if (!everyoneReceived(value)) return true;
    report({ event: "done", id, result: true });
    return false;
  });
}

for (let i = 0; i < Number(config.count); i++) {
  const socket = io(config.url, {
    path: config.path || "/socket.io/",
    transports: config.transports || ["websocket"],
    // Keeps cookies (engine.io-client's cookie jar in Node), so a sticky load balancer sends every poll of a session
    // to the same node.
    withCredentials: true,
    forceNew: true,
    reconnection: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 1000,
  });
  const client = { socket, pushes: [], everConnected: false, isConnected: false };
  clients.push(client);
  socket.on("connect", () => {
    client.isConnected = true;
    connected++;
    totals.connects++;
    if (client.everConnected) {
      if (socket.recovered) totals.recovered++;
      else totals.fresh++;
    }
    client.everConnected = true;
    checkConnected();
  });
  socket.on("disconnect", () => {
    // socket.io-client also says "disconnect" when its manager's connection closes during a reconnection, before
    // the namespace connected again: only a connected client counts down.
    if (!client.isConnected) return;
    client.isConnected = false;
    connected--;
    totals.disconnects++;
  });
  socket.on("push", (value) => {
    client.pushes.push(value);
    checkReceived();
  });
}

report({ event: "ready" });

function handle(command) {
  switch (command.op) {
    case "whenAllConnected":
      connectedWaiters.push(command.id);
      checkConnected();
      break;
    case "whenAllReceived":
      receivedWaiters.push({ id: command.id, value: command.value });
      checkReceived();
      break;
    case "received":
      report({ event: "done", id: command.id, result: clients.map((c) => c.pushes) });
      break;
    default:
      throw new Error(`unknown op ${command.op}`);
  }
}

run(handle, () => {
  for (const c of clients) c.socket.disconnect();
});
