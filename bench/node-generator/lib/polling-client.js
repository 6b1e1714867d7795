// A raw Engine.IO client over HTTP long-polling that never upgrades: the handshake GET, then one GET held open at
// a time for what the server queues, and POSTs for what the client sends. The server answers a second POST that
// arrives while one is in progress with 400, so packets sent meanwhile wait and go out together in the next POST.
"use strict";
const { performance } = require("perf_hooks");
const eio = require("./engineio");
const { Session } = require("./session");
const { requestText } = require("./http-text");

class PollingClient {
  constructor({ host, port, revision, agent }, path, events) {
    this.target = { host, port, agent };
    this.revision = revision;
    this.path = path;
    this.session = new Session(revision, events, (packet) => this.post(packet));
    this.outbox = [];
    this.posting = false;
    this.stopped = false;
  }

  /** Resolves with the client once the handshake answered; the join to "/" is reported later through events. */
  static async connect(target, events) {
    const path = `/socket.io/?EIO=${target.revision}&transport=polling`;
    const packets = eio.splitPayload(await requestText({ ...target, path }), target.revision);
    if (eio.classify(packets[0] || "") !== "open") throw new Error(`no open packet in the handshake: ${packets[0]}`);
    const open = eio.readOpen(packets[0]);
    const client = new PollingClient(target, `${path}&sid=${encodeURIComponent(open.sid)}`, events);
    client.session.opened(open);
    for (const packet of packets.slice(1)) client.session.handle(packet, performance.now());
    client.poll();
    return client;
  }

  async poll() {
    let error = null;
    try {
      while (!this.stopped) {
        const body = await requestText({ ...this.target, path: this.path });
        const receivedAt = performance.now();
        let open = true;
        for (const packet of eio.splitPayload(body, this.revision)) open = this.session.handle(packet, receivedAt) && open;
        if (!open) break;
      }
    } catch (caught) {
      error = this.stopped ? null : caught;
    }
    this.session.end(error);
  }

  post(packet) {
    this.outbox.push(eio.encodePayload(packet, this.revision));
    if (!this.posting) this.flush();
  }

  async flush() {
    this.posting = true;
    while (this.outbox.length > 0 && !this.stopped) {
      // Revision 4 separates packets with a record separator; revision 3 records carry their own lengths.
      const body = this.outbox.join(this.revision === 4 ? "\x1e" : "");
      this.outbox = [];
      try {
        await requestText({ ...this.target, path: this.path, method: "POST", body, timeoutMs: 30000 });
      } catch (error) {
        this.stopped = true;
        this.session.end(error);
      }
    }
    this.posting = false;
  }

  sendEcho(id) {
    this.post(eio.echoEmit(id));
  }

  close() {
    this.stopped = true;
    this.session.end(null);
  }
}

module.exports = { PollingClient };
