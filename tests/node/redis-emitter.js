"use strict";

// Publishes with @socket.io/redis-emitter 5.x, the way PHP, Python and Node backends push
// through Redis without HTTP, controlled by JSON lines on stdin.
//
// Config: redisUrl (required), key (channel prefix, default "socket.io").
// Events:  ready, done {id}, fatal, commandError.
// Commands (each answered by done with the same id, once published):
//   {"op":"emit","id":K,"namespace":"/","rooms":[..],"except":[..],"volatile":bool,"name":"..","args":[..]}
//   {"op":"socketsJoin"|"socketsLeave","id":K,"rooms":[..],"room":".."}
//   {"op":"disconnectSockets","id":K,"rooms":[..],"close":bool}
//   {"op":"serverSideEmit","id":K,"name":"..","args":[..]}

const { Emitter } = require("@socket.io/redis-emitter");
const { createClient } = require("redis");
const { report, readConfig, decodeValue, messageOf, run, selectRooms, reportDone } = require("./lib/driver");

const config = readConfig(["redisUrl"]);

const client = createClient({ url: config.redisUrl });
client.on("error", () => {});
let emitter;

function select(command) {
  const target = selectRooms(emitter.of(command.namespace || "/"), command);
  return command.volatile ? target.volatile : target;
}

function handle(command) {
  const args = decodeValue(command.args || []);
  switch (command.op) {
    case "emit":
      select(command).emit(command.name, ...args);
      break;
    case "socketsJoin":
      select(command).socketsJoin(command.room);
      break;
    case "socketsLeave":
      select(command).socketsLeave(command.room);
      break;
    case "disconnectSockets":
      select(command).disconnectSockets(Boolean(command.close));
      break;
    case "serverSideEmit":
      emitter.serverSideEmit(command.name, ...args);
      break;
    default:
      throw new Error(`unknown op ${command.op}`);
  }
  // A PING queued behind the PUBLISH answers once Redis has taken it; done carries no result.
  reportDone(command, client.ping().then(() => undefined));
}

run(handle, () => client.disconnect().catch(() => {}));

client.connect().then(
  () => {
    emitter = new Emitter(client, { key: config.key || "socket.io" });
    report({ event: "ready" });
  },
  (err) => {
    report({ event: "fatal", message: messageOf(err) });
    process.exit(1);
  }
);
