"use strict";

// Shared plumbing for the client drivers: JSON lines on stdin (commands) and
// stdout (events), binary values as {"$binary":"<base64>"}, safe error
// descriptions and a clean exit when the test process goes away.

const readline = require("readline");

/** Writes one event as a single JSON line. */
function report(event) {
  process.stdout.write(JSON.stringify(event) + "\n");
}

/**
 * Reads the config from the first argument (a JSON object), or {} if absent. A driver that cannot run without some
 * keys names them in required: a missing one exits with 2, as a config that is not JSON does.
 */
function readConfig(required = []) {
  const raw = process.argv[2];
  let config = {};
  if (raw) {
    try {
      config = JSON.parse(raw);
      if (config === null || typeof config !== "object" || Array.isArray(config)) {
        throw new Error("config must be a JSON object");
      }
    } catch (err) {
      process.stderr.write(`invalid config ${raw}: ${err.message}\n`);
      process.exit(2);
    }
  }
  for (const key of required) {
    if (!config[key]) {
      process.stderr.write(`config.${key} is required\n`);
      process.exit(2);
    }
  }
  return config;
}

/** The broadcast target of a command: target narrowed to command.rooms, then without command.except. */
function selectRooms(target, command) {
  for (const room of command.rooms || []) target = target.to(room);
  for (const room of command.except || []) target = target.except(room);
  return target;
}

/** Reports done for command once promise settles: with its result, or with its error's message. */
function reportDone(command, promise) {
  promise.then(
    (result) => report({ event: "done", id: command.id, result }),
    (err) => report({ event: "done", id: command.id, error: messageOf(err) })
  );
}

function isBinary(value) {
  return (
    (typeof Buffer !== "undefined" && Buffer.isBuffer(value)) ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value)
  );
}

/** Turns any binary value (Buffer, ArrayBuffer, typed array) into a Buffer. */
function toBuffer(value) {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** Replaces binary values (recursively) with {"$binary":"<base64>"} for reporting. */
function encodeValue(value, depth = 0) {
  if (depth > 64) return "[too deep]";
  if (value === undefined) return null;
  if (value === null || typeof value !== "object") {
    return typeof value === "function" ? "[function]" : value;
  }
  if (isBinary(value)) return { $binary: toBuffer(value).toString("base64") };
  if (Array.isArray(value)) return value.map((v) => encodeValue(v, depth + 1));
  const out = {};
  for (const key of Object.keys(value)) out[key] = encodeValue(value[key], depth + 1);
  return out;
}

/** Replaces {"$binary":"<base64>"} (recursively) with Buffers so they go binary on the wire. */
function decodeValue(value) {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(decodeValue);
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "$binary" && typeof value.$binary === "string") {
    return Buffer.from(value.$binary, "base64");
  }
  const out = {};
  for (const key of keys) out[key] = decodeValue(value[key]);
  return out;
}

/**
 * Describes an error-ish value (Error, string, client-specific object that may
 * hold circular references such as an XHR) as plain JSON.
 */
function describe(value, depth = 0) {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object") return typeof value === "function" ? "[function]" : value;
  if (depth > 2) return String(value);
  if (isBinary(value)) return encodeValue(value);
  const out = {};
  for (const key of ["message", "type", "description", "context", "data", "code"]) {
    if (value[key] === undefined) continue;
    const inner = value[key];
    // The context of a transport error is often an XMLHttpRequest: keep only its status.
    if (key === "context" && inner && typeof inner === "object") {
      if (inner.status !== undefined) out.context = { status: inner.status };
      continue;
    }
    out[key] = key === "data" ? encodeValue(inner) : describe(inner, depth + 1);
  }
  if (Object.keys(out).length === 0) {
    try {
      return JSON.parse(JSON.stringify(value));
    } catch {
      return String(value);
    }
  }
  return out;
}

function messageOf(value) {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value.message === "string") return value.message;
  try {
    return JSON.stringify(encodeValue(value));
  } catch {
    return String(value);
  }
}

/**
 * Runs the command loop. `handle(command)` is called for each JSON line;
 * `shutdown()` must close the client. Exits on {"op":"exit"} and on stdin EOF
 * so that a killed test never leaves a driver behind.
 */
function run(handle, shutdown) {
  let exiting = false;
  function exit(code) {
    if (exiting) return;
    exiting = true;
    try {
      shutdown();
    } catch (err) {
      process.stderr.write(`shutdown failed: ${err && err.stack}\n`);
    }
    // Let stdout drain before leaving.
    process.stdout.write("", () => process.exit(code));
  }

  process.on("uncaughtException", (err) => {
    process.stderr.write(`uncaught exception: ${err && err.stack}\n`);
    report({ event: "fatal", message: messageOf(err) });
    exit(1);
  });
  process.on("unhandledRejection", (err) => {
    process.stderr.write(`unhandled rejection: ${err && err.stack}\n`);
    report({ event: "fatal", message: messageOf(err) });
    exit(1);
  });

  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  lines.on("line", (line) => {
    if (exiting || line.trim() === "") return;
    let command;
    try {
      command = JSON.parse(line);
    } catch (err) {
      report({ event: "commandError", message: `not JSON: ${err.message}`, line });
      return;
    }
    if (command.op === "exit") {
      exit(0);
      return;
    }
    try {
      handle(command);
    } catch (err) {
      process.stderr.write(`command ${line} failed: ${err && err.stack}\n`);
      report({ event: "commandError", op: command.op, message: messageOf(err) });
    }
  });
  lines.on("close", () => exit(0));
  process.on("SIGTERM", () => exit(0));
}

module.exports = {
  report, readConfig, encodeValue, decodeValue, describe, messageOf, toBuffer, isBinary, run, selectRooms, reportDone,
};
