"use strict";

// A Node socket.io 4.8 server with @socket.io/redis-adapter 8.x, the reference node of a mixed
// cluster in the Redis adapter tests, controlled by JSON lines on stdin.
//
// Config: redisUrl (required), key (channel prefix, default "socket.io"), adminUi (optional: a server id; the node
// then runs @socket.io/admin-ui's instrument() without authentication under that id), sharded (optional: a
// subscriptionMode, "static", "dynamic" or "dynamic-private"; the node then uses createShardedAdapter on a Redis
// Cluster client, redisUrl being the cluster's seed list, comma-separated).
// Its clients' events: "join" room (ack "joined"); "question" from the server is theirs to ack.
// Server-side events it receives are reported; "ping" server-side events are acked with "pong from node".
//
// Events:  ready {port, uid}, done {id, result}, serverSideEvent {name, args}, fatal, commandError.
// Commands (each answered by done with the same id):
//   {"op":"emit","id":K,"rooms":[..],"except":[..],"name":"..","args":[..]}
//   {"op":"emitWithAck","id":K,"rooms":[..],"timeoutMs":N,"name":"..","args":[..]}   result: acks, or {error, acks}
//   {"op":"fetchSockets","id":K,"rooms":[..]}                                        result: [{id, rooms, data}]
//   {"op":"socketsJoin"|"socketsLeave","id":K,"rooms":[..],"room":".."}
//   {"op":"disconnectSockets","id":K,"rooms":[..],"close":bool}
//   {"op":"serverSideEmit","id":K,"name":"..","args":[..],"withAck":bool}   (the adapter's requestsTimeout applies)
//   {"op":"serverCount","id":K}

const http = require("http");
const { Server } = require("socket.io");
const { createAdapter, createShardedAdapter } = require("@socket.io/redis-adapter");
const { createClient, createCluster } = require("redis");
const { report, readConfig, encodeValue, decodeValue, messageOf, run, selectRooms, reportDone } = require("./lib/driver");

const config = readConfig(["redisUrl"]);

const pub = config.sharded
  ? createCluster({ rootNodes: config.redisUrl.split(",").map((url) => ({ url })) })
  : createClient({ url: config.redisUrl });
const sub = pub.duplicate();
pub.on("error", () => {});
sub.on("error", () => {});
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
    case "emitWithAck":
      try {
        return encodeValue(await select(command).timeout(command.timeoutMs || 5000).emitWithAck(command.name, ...args));
      } catch (err) {
        return { error: messageOf(err) };
      }
    case "fetchSockets": {
      const sockets = await select(command).fetchSockets();
      return sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: encodeValue(s.data) }));
    }
    case "socketsJoin":
      select(command).socketsJoin(command.room);
      return true;
    case "socketsLeave":
      select(command).socketsLeave(command.room);
      return true;
    case "disconnectSockets":
      select(command).disconnectSockets(Boolean(command.close));
      return true;
    case "serverSideEmit":
      if (!command.withAck) {
        io.serverSideEmit(command.name, ...args);
        return true;
      }
      try {
        return encodeValue(await io.serverSideEmitWithAck(command.name, ...args));
      } catch (err) {
        return { error: messageOf(err) };
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
  await Promise.all([pub.connect(), sub.connect()]);
  io = new Server(httpServer, {
    adapter: config.sharded
      ? createShardedAdapter(pub, sub, { channelPrefix: config.key || "socket.io", subscriptionMode: config.sharded })
      : createAdapter(pub, sub, { key: config.key || "socket.io" }),
    cors: { origin: "*" },
  });
  if (config.adminUi) {
    require("@socket.io/admin-ui").instrument(io, { auth: false, serverId: config.adminUi, mode: "development" });
  }
  io.on("connection", (socket) => {
    // Added to, not replaced: instrument() keeps its own fields in socket.data.
    socket.data.from = "node";
    socket.on("join", (room, ack) => {
      socket.join(room);
      if (typeof ack === "function") ack("joined");
    });
  });
  io.on("ping", (...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    report({ event: "serverSideEvent", name: "ping", args: encodeValue(args) });
    if (ack) ack("pong from node");
  });
  io.on("note", (...args) => report({ event: "serverSideEvent", name: "note", args: encodeValue(args) }));
  await new Promise((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  report({ event: "ready", port: httpServer.address().port, uid: io.of("/").adapter.uid });
}

run(handle, () => {
  if (io) io.of("/").adapter.close();
  httpServer.close();
  pub.disconnect().catch(() => {});
  sub.disconnect().catch(() => {});
});

main().catch((err) => {
  process.stderr.write(`start failed: ${err && err.stack}\n`);
  report({ event: "fatal", message: messageOf(err) });
  process.exit(1);
});
