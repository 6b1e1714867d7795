// The server's push API: GET /?msg=TEXT broadcasts "chat message" TEXT to every client of "/". One keep-alive
// connection is reused from push to push, as a backend that pushes often would.
"use strict";
const { requestText, keepAliveAgent } = require("./http-text");

class PushApi {
  constructor(url) {
    this.url = url;
    this.agent = keepAliveAgent(undefined);
  }

  send(text) {
    const path = `${this.url.pathname}?msg=${encodeURIComponent(text)}`;
    return requestText({ host: this.url.hostname, port: Number(this.url.port) || 80, path, agent: this.agent, timeoutMs: 30000 });
  }

  close() {
    this.agent.destroy();
  }
}

module.exports = { PushApi };
