#!/usr/bin/env node
// A second load generator for PushServer and the Node reference server, independent of loadgen: one Node process
// of raw Engine.IO clients (ws for WebSocket, http keep-alive agents for long-polling). Loopback targets only;
// every run is bounded in count and time and exits by itself.
//   node generator.js idle|broadcast|echo --server 127.0.0.1:PORT --server-pid PID [--push http://127.0.0.1:PUSHPORT/]
//        [--clients N] [--connect-rate N] [--eio 4|3] [--transport websocket|polling] [--sources N]
//        [--broadcasts N] [--bps N] [--seconds S] [--drain-seconds S] [--hold-seconds S] [--warmup-seconds S]
//        [--warmup-broadcasts N] [--baseline-clients N] [--max-seconds S] [--label NAME]
// Prints one JSON line with loadgen's field names and "generator": "node-ws".
"use strict";
const { parse } = require("./lib/options");
const { Fleet } = require("./lib/fleet");
const { idle } = require("./scenarios/idle");
const { broadcast } = require("./scenarios/broadcast");
const { echo } = require("./scenarios/echo");

const SCENARIOS = { idle, broadcast, echo };

async function main() {
  let options;
  try {
    options = parse(process.argv.slice(2));
    if (!SCENARIOS[options.scenario]) throw new Error(`unknown scenario ${options.scenario}`);
  } catch (error) {
    console.error(`${error.message}\nusage: node generator.js idle|broadcast|echo --server 127.0.0.1:PORT --server-pid PID [options]; see bench/README.md`);
    return 2;
  }
  const watchdog = setTimeout(() => {
    console.error(`node generator: ${options.scenario} still running after --max-seconds ${options.maxSeconds}; giving up`);
    process.exit(3);
  }, options.maxSeconds * 1000);
  watchdog.unref();
  const fleet = new Fleet(options);
  try {
    const result = await SCENARIOS[options.scenario](options, fleet);
    result.set("connectRetries", fleet.connectRetries).set("generator", "node-ws");
    if (options.label) result.set("server", options.label);
    process.stdout.write(result.toJson() + "\n");
    return 0;
  } catch (error) {
    console.error(`node generator: ${options.scenario} failed: ${error.stack || error}`);
    return 1;
  } finally {
    fleet.close();
  }
}

main().then((code) => process.exit(code));
