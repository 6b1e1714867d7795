// N idle connections and the server's resident memory per connection, read two ways: growth from the fresh
// process over N, and growth per connection added once --baseline-clients are open (which leaves out what the
// server spends once, such as code paged in and pools grown).
"use strict";
const stats = require("../lib/process-stats");
const { Result } = require("../lib/result");
const { sleep } = require("../lib/fleet");

async function idle(options, fleet) {
  const pid = options.serverPid;
  const before = stats.serverRssBytes(pid);
  // The added-connection figure only means something when most clients come after the baseline.
  const baselineClients = options.baselineClients > 0 && options.baselineClients <= options.clients / 2 ? options.baselineClients : 0;
  let atBaseline = before;
  if (baselineClients > 0) {
    await fleet.open(baselineClients);
    await sleep(options.holdSeconds * 1000);
    atBaseline = stats.serverRssBytes(pid);
  }
  await fleet.open(options.clients - baselineClients);
  // Let the first heartbeats and collections settle before reading the footprint.
  await sleep(options.holdSeconds * 1000);
  const after = stats.serverRssBytes(pid);
  const result = new Result("idle")
    .set("eio", options.eio)
    .set("transport", options.polling ? "polling" : "websocket")
    .set("clients", options.clients)
    .set("serverRssMiB", after / 1048576)
    .set("serverBytesPerConnection", (after - before) / options.clients);
  if (baselineClients > 0) {
    result.set("baselineClients", baselineClients).set("serverBytesPerAddedConnection", (after - atBaseline) / (options.clients - baselineClients));
  }
  return result;
}

module.exports = { idle };
