// A raw Engine.IO client over one WebSocket (the ws package), bound to a chosen loopback source address. No
// Socket.IO client library: the frames are read and written as text, so the generator's own cost per message stays
// small and visible. Permessage-deflate is not offered, as a browser's socket.io-client does not use it either.
"use strict";
const { performance } = require("perf_hooks");
const WebSocket = require("ws");
const eio = require("./engineio");
const { Session } = require("./session");

/** Resolves with the client once the upgrade succeeded; the join to "/" is reported later through events. */
function connectWebSocket({ host, port, revision, localAddress }, events) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${host}:${port}/socket.io/?EIO=${revision}&transport=websocket`, {
      localAddress,
      perMessageDeflate: false,
      handshakeTimeout: 30000,
    });
    const session = new Session(revision, events, (packet) => ws.send(packet));
    let opened = false;
    let lastError = null;
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      if (!session.handle(data.toString(), performance.now())) ws.terminate();
    });
    ws.on("error", (error) => {
      lastError = error;
      if (!opened) reject(error);
    });
    ws.on("close", () => {
      if (opened) session.end(lastError);
    });
    ws.on("open", () => {
      opened = true;
      resolve({
        sendEcho: (id) => ws.send(eio.echoEmit(id)),
        close: () => {
          ws.terminate();
          session.end(null);
        },
      });
    });
  });
}

module.exports = { connectWebSocket };
