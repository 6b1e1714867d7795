// Broadcasts through the push API, each carrying a timestamp so every receipt is one latency sample. Single: one
// push at a time, each awaited until all N clients received it. Sustained (--bps): pushes on a fixed schedule for
// --seconds, then a drain window, each stamped with the time it was due rather than the time it went out. Pushes
// share one keep-alive connection and each answer is awaited, so a push API that answers only once its broadcast is
// written (Node's socket.io: io.emit hands every frame to its socket before the handler returns) holds back the next
// push; stamping the send time would leave that backlog out of the latency (coordinated omission). How late the
// pushes went out is reported as pushLagMaxMs. Warm-up pushes, awaited one by one, come first and are not counted.
"use strict";
const { performance } = require("perf_hooks");
const stats = require("../lib/process-stats");
const { Result } = require("../lib/result");
const { PushApi } = require("../lib/push-api");
const { stamp, sleep } = require("../lib/fleet");

async function broadcast(options, fleet) {
  if (!options.push) throw new Error("--push is required for the broadcast scenario");
  const n = options.clients;
  const drainMs = options.drainSeconds * 1000;
  await fleet.open(n);
  const push = new PushApi(options.push);
  try {
    const pushAndAwait = async () => {
      const target = fleet.delivered.value + n;
      await push.send(stamp());
      await fleet.delivered.until(target, drainMs);
    };
    for (let i = 0; i < options.warmupBroadcasts; i++) await pushAndAwait();
    fleet.latency.reset();
    const baseline = fleet.delivered.value;

    const sustained = options.broadcastsPerSecond > 0;
    const count = sustained ? Math.round(options.broadcastsPerSecond * options.seconds) : options.broadcasts;
    const expected = count * n;
    const generatorCpuBefore = stats.generatorCpuSeconds();
    const serverCpuBefore = stats.serverCpuSeconds(options.serverPid);
    const started = performance.now();
    let pushLagMs = 0;
    for (let i = 0; i < count; i++) {
      if (sustained) {
        const dueAt = started + (i * 1000) / options.broadcastsPerSecond;
        const wait = dueAt - performance.now();
        if (wait > 0) await sleep(wait);
        pushLagMs = Math.max(pushLagMs, performance.now() - dueAt);
        await push.send(stamp(dueAt));
      } else {
        await pushAndAwait();
      }
    }
    const reached = await fleet.delivered.until(baseline + expected, drainMs);
    const delivered = reached ? expected : fleet.delivered.value - baseline;
    const elapsed = (performance.now() - started) / 1000;
    const serverCpu = stats.serverCpuSeconds(options.serverPid) - serverCpuBefore;
    const generatorCpu = stats.generatorCpuSeconds() - generatorCpuBefore;
    const { p50, p90, p99, max } = fleet.latency.percentiles();
    return new Result(sustained ? "broadcast-sustained" : "broadcast-single")
      .set("eio", options.eio)
      .set("transport", options.polling ? "polling" : "websocket")
      .set("clients", n)
      .set("broadcasts", count)
      .set("warmupBroadcasts", options.warmupBroadcasts)
      .set("ratePerSecond", options.broadcastsPerSecond)
      .set("deliveredPercent", (100 * delivered) / expected)
      .set("latencyP50Ms", p50)
      .set("latencyP90Ms", p90)
      .set("latencyP99Ms", p99)
      .set("latencyMaxMs", max)
      .set("pushLagMaxMs", sustained ? pushLagMs : null)
      .set("deliveriesPerSecond", delivered / elapsed)
      .set("serverCpuSeconds", serverCpu)
      .set("deliveriesPerServerCpuSecond", serverCpu > 0 ? delivered / serverCpu : NaN)
      .set("generatorCpuSeconds", generatorCpu)
      .set("disconnected", fleet.closed);
  } finally {
    push.close();
  }
}

module.exports = { broadcast };
