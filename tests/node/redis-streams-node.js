"use strict";

// A Node socket.io 4.8 server with @socket.io/redis-streams-adapter 0.2.x and connection state recovery, the
// reference node of a mixed Redis Streams cluster, controlled by JSON lines on stdin.
//
// Config: redisUrl (required), streamName (default "socket.io"), recovery (default true).
// Its clients' events: "join" room (ack "joined").
// Events:  ready {port, uid}, done {id, result}, disconnected {id, reason} (reported once the session a recoverable
//          disconnect persisted has reached Redis), fatal, commandError.
// Commands (each answered by done with the same id):
//   {"op":"emit","id":K,"rooms":[..],"except":[..],"name":"..","args":[..]}
//   {"op":"fetchSockets","id":K,"rooms":[..]}      result: [{id, rooms}]
//   {"op":"serverCount","id":K}

const http = require("http");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-streams-adapter");
const { createClient } = require("redis");
const { report, readConfig, encodeValue, decodeValue, messageOf, run, selectRooms, reportDone } = require("./lib/driver");

const config = readConfig(["redisUrl"]);

const redis = createClient({ url: config.redisUrl });
redis.on("error", () => {});
const httpServer = http.createServer();
let io;

function select(command) {
  return selectRooms(io.of("/"), command);
}

async function handleAsync(command) {
  const args = decodeValue(command.args || []);
  switch (command.op) {
    case "emit":
      select(command).emit(command.name, ...args);
      return true;
    case "fetchSockets": {
      const sockets = await select(command).fetchSockets();
      return sockets.map((s) => ({ id: s.id, rooms: [...s.rooms] }));
    }
    case "serverCount":
      return await io.of("/").adapter.serverCount();
    default:
      throw new Error(`unknown op ${command.op}`);
  }
}

function handle(command) {
  reportDone(command, handleAsync(command));
}

async function main() {
  await redis.connect();
  const options = {
    adapter: createAdapter(redis, { streamName: config.streamName || "socket.io" }),
    cors: { origin: "*" },
  };
  if (config.recovery !== false) options.connectionStateRecovery = { maxDisconnectionDuration: 2 * 60 * 1000 };
  io = new Server(httpServer, options);
  io.on("connection", (socket) => {
    socket.data = { from: "node" };
    socket.on("join", (room, ack) => {
      socket.join(room);
      if (typeof ack === "function") ack("joined");
    });
    socket.on("disconnect", (reason) => {
      // The session was handed to the adapter (SET) before this event; a command behind it on the same
      // connection completes after it.
      redis.ping().then(() => report({ event: "disconnected", id: socket.id, reason }));
    });
  });
  await new Promise((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  report({ event: "ready", port: httpServer.address().port, uid: io.of("/").adapter.uid });
}

run(handle, () => {
  if (io) io.close();
  httpServer.close();
  redis.disconnect().catch(() => {});
});

main().catch((err) => {
  process.stderr.write(`start failed: ${err && err.stack}\n`);
  report({ event: "fatal", message: messageOf(err) });
  process.exit(1);
});
