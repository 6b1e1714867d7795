"use strict";

// Drives a real Engine.IO client (engine.io-client 6.x for protocol 4, 3.x for
// protocol 3), controlled by JSON lines on stdin, reporting JSON lines on stdout.
//
// Config (first argument, JSON):
//   url         "http://127.0.0.1:PORT" (required)
//   path        default "/engine.io/"
//   protocol    4 (default) or 3
//   transports  ["polling"], ["websocket"] or ["polling","websocket"] (default; upgrades)
//   upgrade     default true
//   query       extra query parameters, e.g. {"token":"abc"}
//   reportPackets  also report every packet received/sent as {"event":"packet"|"packetCreate"}
//   options     extra client options, passed through as they are
//
// Events:  ready, open {sid,transport}, upgrade {transport}, upgradeError,
//          message {text} | {binary}, close {reason,description}, error {message,...},
//          sent {id} (after a send with an id was flushed), commandError, fatal.
// Commands: {"op":"send","text":"..."} | {"op":"send","binary":"<base64>"} (optional "id"),
//           {"op":"close"}, {"op":"exit"}.

const { report, readConfig, encodeValue, describe, messageOf, isBinary, toBuffer, run } = require("./lib/driver");

const config = readConfig(["url"]);
const protocol = Number(config.protocol || 4);
if (protocol !== 3 && protocol !== 4) {
  process.stderr.write(`config.protocol must be 3 or 4, got ${config.protocol}\n`);
  process.exit(2);
}

const options = Object.assign(
  {
    path: config.path || "/engine.io/",
    transports: config.transports || ["polling", "websocket"],
    upgrade: config.upgrade !== undefined ? Boolean(config.upgrade) : true,
    query: config.query || {},
  },
  config.options || {}
);

function createSocket() {
  if (protocol === 4) {
    const { Socket } = require("engine.io-client");
    return new Socket(config.url, options);
  }
  const eio = require("engine.io-client-v3");
  return eio(config.url, options);
}

// Load the client module before announcing readiness, so a broken install fails first.
if (protocol === 4) require("engine.io-client");
else require("engine.io-client-v3");

report({ event: "ready", protocol });

const socket = createSocket();

socket.on("open", () => {
  report({ event: "open", sid: socket.id, transport: socket.transport && socket.transport.name });
});
socket.on("upgrade", (transport) => {
  report({ event: "upgrade", transport: transport && transport.name });
});
socket.on("upgradeError", (err) => {
  report({ event: "upgradeError", message: messageOf(err), error: describe(err) });
});
socket.on("message", (data) => {
  if (isBinary(data)) report({ event: "message", binary: toBuffer(data).toString("base64") });
  else report({ event: "message", text: String(data) });
});
socket.on("close", (reason, description) => {
  report({ event: "close", reason: messageOf(reason), description: describe(description) });
});
socket.on("error", (err) => {
  report({ event: "error", message: messageOf(err), error: describe(err) });
});
if (config.reportPackets) {
  socket.on("packet", (packet) => {
    report({ event: "packet", type: packet.type, data: encodeValue(packet.data) });
  });
  socket.on("packetCreate", (packet) => {
    report({ event: "packetCreate", type: packet.type, data: encodeValue(packet.data) });
  });
}

function handle(command) {
  switch (command.op) {
    case "send": {
      let data;
      if (typeof command.binary === "string") data = Buffer.from(command.binary, "base64");
      else if (typeof command.text === "string") data = command.text;
      else throw new Error('send needs "text" or "binary"');
      const id = command.id;
      socket.send(data, {}, id === undefined ? undefined : () => report({ event: "sent", id }));
      break;
    }
    case "close":
      socket.close();
      break;
    default:
      throw new Error(`unknown op ${JSON.stringify(command.op)}`);
  }
}

run(handle, () => socket.close());
