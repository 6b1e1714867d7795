// Every client in a closed loop: emit "echo" asking for an ack, wait for the ack, emit the next. The server must
// ack "echo" with its arguments (the pushserver executable's default rule; bench/reference does the same).
// After --warmup-seconds the round trips are counted for --seconds: acks per second and per server CPU-second,
// round-trip percentiles. An ack missing for 10 s counts as a timeout and the loop goes on.
"use strict";
const { performance } = require("perf_hooks");
const stats = require("../lib/process-stats");
const { Result } = require("../lib/result");
const { Samples } = require("../lib/samples");
const { sleep } = require("../lib/fleet");

const ACK_TIMEOUT_MS = 10000;

class EchoLoop {
  constructor(client, samples, stopAt) {
    this.client = client;
    this.samples = samples;
    this.stopAt = stopAt;
    this.id = -1;
    this.timeouts = 0;
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  next() {
    const now = performance.now();
    if (now >= this.stopAt) return this.finish();
    this.id++;
    this.sentAt = now;
    // Wake at the ack deadline or at the end of the run, whichever is first. Which one it was is decided now:
    // a timer may fire a fraction of a millisecond early by the clock read here.
    const untilStop = this.stopAt - now;
    this.timer = untilStop <= ACK_TIMEOUT_MS ? setTimeout(this.finish, untilStop) : setTimeout(() => this.missed(), ACK_TIMEOUT_MS);
    this.client.sendEcho(this.id);
  }

  acked(id) {
    if (id !== this.id) return;
    clearTimeout(this.timer);
    this.samples.add(performance.now() - this.sentAt);
    this.next();
  }

  missed() {
    this.timeouts++;
    this.next();
  }
}

async function echo(options, fleet) {
  const samples = new Samples();
  const loops = [];
  fleet.onAck = (index, id) => loops[index]?.acked(id);
  await fleet.open(options.clients, 2 * 60 * 1000);
  const stopAt = performance.now() + (options.warmupSeconds + options.seconds) * 1000;
  for (const client of fleet.clients) loops.push(new EchoLoop(client, samples, stopAt));
  for (const loop of loops) loop.next();
  await sleep(options.warmupSeconds * 1000);
  samples.reset();
  const serverCpuBefore = stats.serverCpuSeconds(options.serverPid);
  const started = performance.now();
  await Promise.all(loops.map((loop) => loop.finished));
  const elapsed = (performance.now() - started) / 1000;
  const serverCpu = stats.serverCpuSeconds(options.serverPid) - serverCpuBefore;
  const { p50, p90, p99, max } = samples.percentiles();
  return new Result("echo")
    .set("eio", options.eio)
    .set("transport", options.polling ? "polling" : "websocket")
    .set("clients", options.clients)
    .set("warmupSeconds", options.warmupSeconds)
    .set("acksPerSecond", samples.count / elapsed)
    .set("acksPerServerCpuSecond", serverCpu > 0 ? samples.count / serverCpu : NaN)
    .set("rttP50Ms", p50)
    .set("rttP90Ms", p90)
    .set("rttP99Ms", p99)
    .set("rttMaxMs", max)
    .set("ackTimeouts", loops.reduce((sum, loop) => sum + loop.timeouts, 0));
}

module.exports = { echo };
