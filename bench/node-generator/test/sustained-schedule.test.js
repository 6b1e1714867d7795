// A sustained run against a push API that answers late: every delivery must be timed from when its push was due,
// so that the backlog such a server builds shows in the latency instead of slowing the generator down unseen.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const http = require("http");
const { performance } = require("perf_hooks");
const { broadcast } = require("../scenarios/broadcast");
const { Counter } = require("../lib/counter");
const { Samples } = require("../lib/samples");

const ANSWER_DELAY_MS = 300;

// One client's worth of fleet: each push reaches it the moment the push API reads the request.
function oneClientFleet() {
  return { open: async () => {}, delivered: new Counter(), latency: new Samples(), closed: 0 };
}

test("a push API that answers late shows as latency, counted from each push's due time", async () => {
  const fleet = oneClientFleet();
  const server = http.createServer((req, res) => {
    const msg = new URL(req.url, "http://127.0.0.1").searchParams.get("msg");
    fleet.delivered.increment();
    fleet.latency.add(performance.now() - Number(msg) / 1000);
    setTimeout(() => res.end("ok"), ANSWER_DELAY_MS);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const options = {
      push: new URL(`http://127.0.0.1:${server.address().port}/`),
      clients: 1,
      drainSeconds: 10,
      warmupBroadcasts: 0,
      broadcastsPerSecond: 10,
      seconds: 1,
      serverPid: process.pid,
      eio: 4,
      polling: false,
    };
    const result = (await broadcast(options, fleet)).values;

    assert.equal(result.deliveredPercent, 100);
    // Ten pushes due 100 ms apart, each answered 300 ms after it was sent: the last goes out at about 2.7 s, 1.8 s
    // after it was due. Stamped at the send, every sample would be about 0 ms.
    assert.ok(result.latencyMaxMs >= 1000, `latencyMaxMs ${result.latencyMaxMs}`);
    assert.ok(result.pushLagMaxMs >= 1000, `pushLagMaxMs ${result.pushLagMaxMs}`);
    assert.ok(result.latencyMaxMs >= result.pushLagMaxMs - 50, "the lag is part of the latency");
  } finally {
    server.close();
  }
});
