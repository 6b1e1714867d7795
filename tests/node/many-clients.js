"use strict";

// Many socket.io-client clients (4.x, or 2.x with version 2) in one process, for fault and scale tests that need
// hundreds of real clients without hundreds of processes. Each client reconnects by itself (short delays) and records
// the first argument of every "push" event it receives, in order, as well as every Engine.IO session id it was given,
// every connect_error and every disconnect reason, so a test can tell a clean run from one that reconnected.
//
// Config: url (required), count (required), path (default "/socket.io/"), transports (default ["websocket"]),
//         version (4, the default, or 2).
// Events:  ready, allConnected {connects, disconnects, recovered, fresh} (the first time every client is connected),
//          done {id, result}, commandError, fatal.
// Commands (answered by done with the same id):
//   {"op":"whenAllConnected","id":K}            result once every client is connected: {connects, disconnects, recovered, fresh};
//                                               with "avoidingTag":T, once none of them is on a session of the node
//                                               tagged T (session routing's sids end with "." and their node's tag)
//   {"op":"whenAllReceived","id":K,"value":V}   result once every client received a push whose first argument is V
//   {"op":"received","id":K}                    result: every client's pushes, [[v1, v2, ...], ...]
//   {"op":"emitAll","id":K,"name":N,"args":[…]} every client emits N with an ack; result once all answered: the first
//                                               argument of each client's ack, in client order
//   {"op":"disconnectAll","id":K}               every client disconnects; result once each saw its disconnect: the
//                                               reason each saw, in client order
//   {"op":"history","id":K}                     result: per client {sids, connects, disconnects: [reasons], errors: [messages]}

const { report, readConfig, messageOf, run } = require("./lib/driver");

const config = readConfig();
if (!config.url || !config.count) {
  process.stderr.write("config.url and config.count are required\n");
  process.exit(2);
}
const version = Number(config.version || 4);
if (version !== 2 && version !== 4) {
  process.stderr.write(`config.version must be 2 or 4, got ${config.version}\n`);
  process.exit(2);
}
const io = version === 4 ? require("socket.io-client") : require("socket.io-client-v2");

const clients = [];
const totals = { connects: 0, disconnects: 0, recovered: 0, fresh: 0 };
let connected = 0;
let allConnectedReported = false;
let connectedWaiters = [];
let receivedWaiters = [];

function snapshot() {
  return Object.assign({}, totals);
}

function currentSid(client) {
  return client.sids.length > 0 ? client.sids[client.sids.length - 1] : null;
}

function checkConnected() {
  if (connected !== clients.length) return;
  if (!allConnectedReported) {
    allConnectedReported = true;
    report(Object.assign({ event: "allConnected" }, snapshot()));
  }
  connectedWaiters = connectedWaiters.filter(({ id, avoidingTag }) => {
    if (avoidingTag && clients.some((c) => String(currentSid(c)).endsWith("." + avoidingTag))) return true;
    report({ event: "done", id, result: snapshot() });
    return false;
  });
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

/** Calls start(client, settle) for every client and reports done once each called settle(value) once. */
function forEachClient(id, start) {
  const results = new Array(clients.length);
  let pending = clients.length;
  clients.forEach((client, index) => {
    let settled = false;
    start(client, (value) => {
      if (settled) return;
      settled = true;
      results[index] = value === undefined ? null : value;
      if (--pending === 0) report({ event: "done", id, result: results });
    });
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
  const client = { socket, pushes: [], sids: [], disconnects: [], errors: [], connects: 0, everConnected: false, isConnected: false, onDisconnect: null };
  clients.push(client);
  socket.on("connect", () => {
    client.isConnected = true;
    client.connects++;
    client.sids.push(socket.io.engine ? socket.io.engine.id : null);
    connected++;
    totals.connects++;
    if (client.everConnected) {
      if (socket.recovered) totals.recovered++;
      else totals.fresh++;
    }
    client.everConnected = true;
    checkConnected();
  });
  socket.on("connect_error", (err) => client.errors.push(messageOf(err)));
  if (version === 2) socket.on("error", (err) => client.errors.push(messageOf(err)));
  socket.on("disconnect", (reason) => {
    // socket.io-client also says "disconnect" when its manager's connection closes during a reconnection, before
    // the namespace connected again: only a connected client counts down.
    if (!client.isConnected) return;
    client.isConnected = false;
    client.disconnects.push(reason);
    connected--;
    totals.disconnects++;
    if (client.onDisconnect) client.onDisconnect(reason);
  });
  socket.on("push", (value) => {
    client.pushes.push(value);
    checkReceived();
  });
}

report({ event: "ready", version });

function handle(command) {
  switch (command.op) {
    case "whenAllConnected":
      connectedWaiters.push({ id: command.id, avoidingTag: command.avoidingTag });
      checkConnected();
      break;
    case "whenAllReceived":
      receivedWaiters.push({ id: command.id, value: command.value });
      checkReceived();
      break;
    case "received":
      report({ event: "done", id: command.id, result: clients.map((c) => c.pushes) });
      break;
    case "emitAll": {
      if (typeof command.name !== "string") throw new Error('emitAll needs "name"');
      const args = Array.isArray(command.args) ? command.args : [];
      forEachClient(command.id, (client, settle) => client.socket.emit(command.name, ...args, (answer) => settle(answer)));
      break;
    }
    case "disconnectAll":
      forEachClient(command.id, (client, settle) => {
        if (!client.isConnected) {
          settle(null);
          return;
        }
        client.onDisconnect = settle;
        client.socket.disconnect();
      });
      break;
    case "history":
      report({
        event: "done",
        id: command.id,
        result: clients.map((c) => ({ sids: c.sids, connects: c.connects, disconnects: c.disconnects, errors: c.errors })),
      });
      break;
    default:
      throw new Error(`unknown op ${command.op}`);
  }
}

run(handle, () => {
  for (const c of clients) c.socket.disconnect();
});
