"use strict";

// Drives a real Socket.IO client (socket.io-client 4.x or 2.x), controlled by
// JSON lines on stdin, reporting JSON lines on stdout.
//
// Config (first argument, JSON):
//   url           "http://127.0.0.1:PORT" (required)
//   path          default "/socket.io/"
//   version       4 (default) or 2
//   transports    default ["polling","websocket"]
//   namespace     default "/"
//   auth          object sent in the CONNECT packet (4.x); for 2.x it is merged into the query,
//                 which is where a 2.x client carries it
//   query         extra query parameters
//   reconnection  default false, so a test sees a disconnect as final unless it asks otherwise
//   forceNew      default true
//   autoConnect   default true; with false, send {"op":"connect"}
//   options       extra client options, passed through as they are
//
// Events:  ready, connect {id,transport,sid,recovered?}, connect_error {message,data},
//          disconnect {reason,description,active?}, event {name,args,ackId?}, ack {id,args},
//          ackTimeout {id}, upgrade {transport}, reconnect {attempt}, reconnect_attempt {attempt},
//          reconnect_error {message}, reconnect_failed, error {message,data} (2.x),
//          commandError, fatal.
// Commands: {"op":"emit","name":"..","args":[...],"withAck":bool,"timeoutMs":N,"id":K},
//           {"op":"ack","ackId":N,"args":[...]}, {"op":"disconnect"}, {"op":"connect"},
//           {"op":"setUrl","url":".."} (the next connection goes there),
//           {"op":"dropTransport"} (closes the Engine.IO connection under the socket, as a network
//           failure would: the socket sees "transport close" and keeps its recovery state), {"op":"exit"}.
// Binary values in args, both ways, are {"$binary":"<base64>"}.

const { report, readConfig, encodeValue, decodeValue, describe, messageOf, run } = require("./lib/driver");

const config = readConfig(["url"]);
const version = Number(config.version || 4);
if (version !== 2 && version !== 4) {
  process.stderr.write(`config.version must be 2 or 4, got ${config.version}\n`);
  process.exit(2);
}

const io = version === 4 ? require("socket.io-client") : require("socket.io-client-v2");

const namespace = config.namespace || "/";
const options = {
  path: config.path || "/socket.io/",
  transports: config.transports || ["polling", "websocket"],
  reconnection: Boolean(config.reconnection),
  forceNew: config.forceNew !== undefined ? Boolean(config.forceNew) : true,
  autoConnect: config.autoConnect !== undefined ? Boolean(config.autoConnect) : true,
  query: Object.assign({}, config.query || {}),
};
if (config.auth) {
  // 2.x has no auth payload: its handshake data travels in the query string.
  if (version === 4) options.auth = config.auth;
  else Object.assign(options.query, config.auth);
}
Object.assign(options, config.options || {});

if (version === 2) patchVersion2Socket(io.Socket.prototype);

report({ event: "ready", version });

const socket = io(config.url.replace(/\/+$/, "") + (namespace.startsWith("/") ? namespace : "/" + namespace), options);
const manager = socket.io;

// Acks the server asked for, by the id we reported them under.
const pendingAcks = new Map();
let nextAckId = 1;

// 2.x has no onAny, and its socket binds its packet handler when it is created:
// patch the prototype (this process drives a single socket) before that happens.
function patchVersion2Socket(proto) {
  const onevent = proto.onevent;
  proto.onevent = function (packet) {
    const data = (packet.data || []).slice();
    const name = data.shift();
    if (packet.id != null) data.push(this.ack(packet.id));
    reportEvent(name, data);
    // Dispatch as before, minus the ack (the test answers it); nothing listens,
    // so this only keeps the socket's receive buffer as it would be.
    return onevent.call(this, Object.assign({}, packet, { id: null }));
  };
  // A namespace refusal (middleware error) arrives as an ERROR packet, which 2.x
  // emits as "error"; report it as connect_error like 4.x does. A 4.x server sends
  // a 2.x client only err.data, or err.message when there is no data.
  const onpacket = proto.onpacket;
  proto.onpacket = function (packet) {
    if (packet.type === 4 && (packet.nsp === this.nsp || packet.nsp === "/")) {
      const data = packet.data;
      if (typeof data === "string") report({ event: "connect_error", message: data, data: null });
      else if (data && typeof data.message === "string") report({ event: "connect_error", message: data.message, data: encodeValue(data.data) });
      else report({ event: "connect_error", message: null, data: encodeValue(data) });
    }
    return onpacket.call(this, packet);
  };
}

function transportName() {
  const engine = manager.engine;
  return engine && engine.transport ? engine.transport.name : null;
}

function reportEvent(name, args) {
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  if (typeof last === "function") {
    const ackId = nextAckId++;
    pendingAcks.set(ackId, last);
    report({ event: "event", name, args: encodeValue(args.slice(0, -1)), ackId });
  } else {
    report({ event: "event", name, args: encodeValue(args) });
  }
}

socket.on("connect", () => {
  const event = { event: "connect", id: socket.id, transport: transportName(), sid: manager.engine ? manager.engine.id : null };
  if (socket.recovered !== undefined) event.recovered = socket.recovered;
  report(event);
});
socket.on("connect_error", (err) => {
  report({ event: "connect_error", message: messageOf(err), data: encodeValue(err && err.data), description: describe(err && err.description) });
});
socket.on("disconnect", (reason, details) => {
  // active (4.x only): false when the client will not reconnect by itself.
  report({ event: "disconnect", reason, description: describe(details), active: socket.active });
});

if (version === 4) {
  socket.onAny((name, ...args) => reportEvent(name, args));
} else {
  socket.on("error", (err) => {
    report({ event: "error", message: messageOf(err), data: encodeValue(err && err.data) });
  });
}

manager.on("reconnect", (attempt) => report({ event: "reconnect", attempt }));
manager.on("reconnect_attempt", (attempt) => report({ event: "reconnect_attempt", attempt }));
manager.on("reconnect_error", (err) => report({ event: "reconnect_error", message: messageOf(err) }));
manager.on("reconnect_failed", () => report({ event: "reconnect_failed" }));

// The engine is replaced on every reconnection: watch each one for its upgrade.
const watchedEngines = new WeakSet();
function watchEngine() {
  const engine = manager.engine;
  if (!engine || watchedEngines.has(engine)) return;
  watchedEngines.add(engine);
  engine.on("upgrade", (transport) => report({ event: "upgrade", transport: transport && transport.name }));
}
manager.on("open", watchEngine);
watchEngine();

function emit(command) {
  if (typeof command.name !== "string") throw new Error('emit needs "name"');
  const args = decodeValue(Array.isArray(command.args) ? command.args : []);
  if (!command.withAck) {
    socket.emit(command.name, ...args);
    return;
  }
  const id = command.id;
  const timeoutMs = command.timeoutMs;
  if (version === 4 && typeof timeoutMs === "number") {
    socket.timeout(timeoutMs).emit(command.name, ...args, (err, ...response) => {
      if (err) report({ event: "ackTimeout", id });
      else report({ event: "ack", id, args: encodeValue(response) });
    });
    return;
  }
  // 2.x has no emit timeout: emulate it with a timer; whichever comes first wins.
  let settled = false;
  let timer = null;
  if (typeof timeoutMs === "number") {
    timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      report({ event: "ackTimeout", id });
    }, timeoutMs);
  }
  socket.emit(command.name, ...args, (...response) => {
    if (settled) return;
    settled = true;
    if (timer) clearTimeout(timer);
    report({ event: "ack", id, args: encodeValue(response) });
  });
}

function handle(command) {
  switch (command.op) {
    case "emit":
      emit(command);
      break;
    case "ack": {
      const ack = pendingAcks.get(command.ackId);
      if (!ack) throw new Error(`no pending ack ${command.ackId}`);
      pendingAcks.delete(command.ackId);
      ack(...decodeValue(Array.isArray(command.args) ? command.args : []));
      break;
    }
    case "setUrl":
      // Where the next (re)connection goes, as a load balancer would send it to another node. The manager builds
      // each new engine from its uri.
      manager.uri = String(command.url);
      break;
    case "disconnect":
      socket.disconnect();
      break;
    case "connect": {
      // A 2.x manager closes its engine after the server's DISCONNECT, but the engine waits for its write buffer to
      // drain first; reconnecting before that close lands lets the late close tear down the new engine's listeners
      // (the client reports "forced close" and never connects). Wait for the old engine to finish closing.
      const engine = manager.engine;
      if (engine && engine.readyState === "closing") engine.once("close", () => socket.connect());
      else socket.connect();
      break;
    }
    case "dropTransport":
      if (manager.engine) manager.engine.close();
      break;
    default:
      throw new Error(`unknown op ${JSON.stringify(command.op)}`);
  }
}

run(handle, () => {
  socket.disconnect();
  if (typeof manager.close === "function") manager.close();
});
