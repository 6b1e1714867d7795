// The long-polling client against a stand-in Engine.IO endpoint that, like Node's engine.io, holds each POST a
// while and would refuse a second one arriving meanwhile: packets sent during a POST wait and go out together.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const http = require("http");
const { PollingClient } = require("../lib/polling-client");
const { keepAliveAgent } = require("../lib/http-text");

test("packets sent while a POST is in progress go out together in the next one, never in parallel", async () => {
  const bodies = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const endpoint = http.createServer((req, res) => {
    if (req.method === "GET" && !req.url.includes("sid=")) {
      res.end('0{"sid":"s1","pingInterval":25000}');
      return;
    }
    if (req.method === "GET") return; // the held poll: answered by closing the server
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => setTimeout(() => {
      bodies.push(body);
      inFlight--;
      res.end("ok");
    }, 100));
  });
  await new Promise((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  const agent = keepAliveAgent(undefined);
  const events = { connected() {}, chat() {}, ack() {}, closed() {} };
  try {
    const client = await PollingClient.connect({ host: "127.0.0.1", port: endpoint.address().port, revision: 4, agent }, events);
    // "40" went out on open; these three are sent while its POST is held.
    client.sendEcho(1);
    client.sendEcho(2);
    client.sendEcho(3);
    for (let i = 0; i < 100 && bodies.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(bodies, ["40", '421["echo",1]\x1e422["echo",2]\x1e423["echo",3]']);
    assert.equal(maxInFlight, 1);
    client.close();
  } finally {
    agent.destroy();
    endpoint.closeAllConnections();
    endpoint.close();
  }
});
