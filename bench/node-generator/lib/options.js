// Command-line options, spelled and defaulted as loadgen's so that bench/compare.sh can hand both generators the
// same scenario line. Targets must be loopback: anything else is refused before a socket is opened.
"use strict";
const net = require("net");

const DEFAULTS = {
  clients: 1000,
  "connect-rate": 2000,
  eio: 4,
  sources: 20,
  broadcasts: 5,
  bps: 0,
  seconds: 5,
  "drain-seconds": 10,
  "hold-seconds": 3,
  "warmup-seconds": 15,
  "warmup-broadcasts": 60,
  "baseline-clients": 1000,
  // Every run stops by itself: past this, the process exits with an error whatever it was doing.
  "max-seconds": 600,
};
const TEXT = new Set(["server", "push", "server-pid", "transport", "label"]);

function isLoopback(host) {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost" || bare === "::1") return true;
  return net.isIPv4(bare) && bare.startsWith("127.");
}

function parse(argv) {
  const [scenario, ...rest] = argv;
  const values = { ...DEFAULTS };
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i].replace(/^--/, "");
    const value = rest[i + 1];
    if (!rest[i].startsWith("--") || value === undefined) throw new Error(`expected --name value, got ${rest[i]}`);
    if (!(name in DEFAULTS) && !TEXT.has(name)) throw new Error(`unknown option --${name}`);
    if (TEXT.has(name)) {
      values[name] = value;
    } else {
      values[name] = Number(value);
      if (!Number.isFinite(values[name]) || values[name] < 0) throw new Error(`--${name} needs a number >= 0`);
    }
  }
  if (!values.server) throw new Error("--server 127.0.0.1:PORT is required");
  const colon = values.server.lastIndexOf(":");
  const host = values.server.slice(0, colon);
  const port = Number(values.server.slice(colon + 1));
  if (!isLoopback(host) || !(port > 0)) throw new Error("--server must be a loopback address with a port");
  let push = null;
  if (values.push) {
    push = new URL(values.push);
    if (push.protocol !== "http:" || !isLoopback(push.hostname)) throw new Error("--push must be an http URL on loopback");
  }
  const transport = values.transport || "websocket";
  if (transport !== "websocket" && transport !== "polling") throw new Error("--transport must be websocket or polling");
  if (values.eio !== 3 && values.eio !== 4) throw new Error("--eio must be 3 or 4");
  if (values.sources < 1 || values.sources > 250 * 250) throw new Error("--sources must be between 1 and 62500");
  const serverPid = Number(values["server-pid"]);
  if (!(serverPid > 0)) throw new Error("--server-pid PID of the server under test is required");
  return {
    scenario,
    host: host.replace(/^\[|\]$/g, ""),
    port,
    push,
    serverPid,
    clients: Math.floor(values.clients),
    connectRate: values["connect-rate"] || 2000,
    eio: values.eio,
    sources: Math.floor(values.sources),
    broadcasts: Math.floor(values.broadcasts),
    broadcastsPerSecond: values.bps,
    seconds: values.seconds,
    drainSeconds: values["drain-seconds"],
    holdSeconds: values["hold-seconds"],
    warmupSeconds: values["warmup-seconds"],
    warmupBroadcasts: Math.floor(values["warmup-broadcasts"]),
    baselineClients: Math.floor(values["baseline-clients"]),
    maxSeconds: values["max-seconds"],
    polling: transport === "polling",
    label: values.label || null,
  };
}

module.exports = { parse, isLoopback };
