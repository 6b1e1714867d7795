// What one client does with the frames it receives, whichever transport carried them: join "/", keep the
// heartbeat, and report joins, chat messages, acks and the end to the scenario's events.
"use strict";
const eio = require("./engineio");

class Session {
  /**
   * @param {number} revision Engine.IO revision, 3 or 4
   * @param {{connected(), chat(text, receivedAt), ack(id), closed(error)}} events
   * @param {(packet: string) => void} send how the transport sends one packet
   */
  constructor(revision, events, send) {
    this.revision = revision;
    this.events = events;
    this.send = send;
    this.pingTimer = null;
    this.ended = false;
  }

  /** Handles one frame; false once the server closed the session. */
  handle(frame, receivedAt) {
    switch (eio.classify(frame)) {
      case "chat":
        this.events.chat(eio.chatText(frame), receivedAt);
        break;
      case "ping":
        this.send(eio.PONG);
        break;
      case "ack":
        this.events.ack(eio.ackId(frame));
        break;
      case "connected":
        this.events.connected();
        break;
      case "open":
        this.opened(eio.readOpen(frame));
        break;
      case "close":
        return false;
    }
    return true;
  }

  opened(open) {
    if (this.revision === 4) {
      this.send(eio.CONNECT);
    } else {
      // Revision 3 clients ping the server every pingInterval; the server joins them to "/" by itself.
      this.pingTimer = setInterval(() => this.send(eio.PING), open.pingIntervalMs);
    }
    return open;
  }

  /** The transport is gone: stop the heartbeat and report once. */
  end(error) {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.pingTimer);
    this.events.closed(error || null);
  }
}

module.exports = { Session };
