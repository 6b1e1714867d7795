// Many clients of one server in this one process, opened at a steady pace from several loopback source addresses,
// with the counts the scenarios read: joins to "/", chat messages delivered (each timed against the send timestamp
// it carries), connections closed. Acks go to whoever set onAck.
"use strict";
const { performance } = require("perf_hooks");
const { connectWebSocket } = require("./ws-client");
const { PollingClient } = require("./polling-client");
const { keepAliveAgent } = require("./http-text");
const { SourceAddresses } = require("./sources");
const { Counter } = require("./counter");
const { Samples } = require("./samples");

const CONNECT_ATTEMPTS = 3;
// Failures worth a second try: the server's accept queue overflowed while thousands connected (Node's default
// backlog is 511) and it reset or refused a few. Anything else fails the run.
const RETRIED = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE"]);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Fleet {
  constructor(options) {
    this.options = options;
    this.sources = new SourceAddresses(options.sources);
    this.agents = options.polling ? this.sources.all().map(keepAliveAgent) : [];
    this.clients = [];
    this.joined = new Counter();
    this.delivered = new Counter();
    this.latency = new Samples();
    this.closed = 0;
    this.connectRetries = 0;
    this.onAck = () => {};
  }

  /** Opens count more clients, connectRate a second, and waits until every client so far has joined "/". */
  async open(count, timeoutMs = 5 * 60 * 1000) {
    const started = performance.now();
    const pending = [];
    for (let i = 0; i < count; i++) {
      // Client i starts i / connectRate seconds after the first.
      const due = started + (i * 1000) / this.options.connectRate - performance.now();
      if (due > 1) await sleep(due);
      pending.push(this.connectWithRetries(this.clients.length + pending.length));
    }
    this.clients.push(...(await Promise.all(pending)));
    if (!(await this.joined.until(this.clients.length, timeoutMs))) {
      throw new Error(`only ${this.joined.value} of ${this.clients.length} clients joined "/" in time`);
    }
  }

  async connectWithRetries(index) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.connect(index);
      } catch (error) {
        if (attempt >= CONNECT_ATTEMPTS || !RETRIED.has(error.code)) throw error;
        this.connectRetries++;
        await sleep(100 * attempt);
      }
    }
  }

  connect(index) {
    const { host, port, eio: revision } = this.options;
    const events = {
      connected: () => this.joined.increment(),
      chat: (text, receivedAt) => {
        this.delivered.increment();
        const sentAt = Number(text);
        if (Number.isFinite(sentAt)) this.latency.add(receivedAt - sentAt / 1000);
      },
      ack: (id) => this.onAck(index, id),
      closed: () => this.closed++,
    };
    if (this.options.polling) {
      return PollingClient.connect({ host, port, revision, agent: this.agents[index % this.agents.length] }, events);
    }
    return connectWebSocket({ host, port, revision, localAddress: this.sources.take() }, events);
  }

  close() {
    for (const client of this.clients) client.close();
    for (const agent of this.agents) agent.destroy();
  }
}

/** A push's timestamp: microseconds on this process's monotonic clock (now, or the given time in ms), as an integer string. */
function stamp(atMs = performance.now()) {
  return String(Math.round(atMs * 1000));
}

module.exports = { Fleet, stamp, sleep };
