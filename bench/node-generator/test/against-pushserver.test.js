// The generator end to end against the real pushserver executable (built first with
// `dotnet build src/PushServer -c Release`), on ports the server chose, with small client counts: every scenario
// and transport yields a complete result line, and a server the generator cannot reach fails the run.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("path");
const fs = require("fs");
const { spawn, execFile } = require("child_process");

const root = path.resolve(__dirname, "../../..");
const serverDll = path.join(root, "src/PushServer/bin/Release/net10.0/pushserver.dll");
const generator = path.join(__dirname, "..", "generator.js");

let server;
let ports;

function startServer() {
  assert.ok(fs.existsSync(serverDll), `build the server first: dotnet build src/PushServer -c Release (${serverDll})`);
  const child = spawn("dotnet", [serverDll, "start", "--bind", "127.0.0.1", "--port", "0", "--push-port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pushserver did not listen within 60 s:\n${output}`)), 60000);
    const onData = (chunk) => {
      output += chunk;
      const match = /Listening: Socket\.IO on http:\/\/[^:]+:(\d+)\/socket\.io\/, push API on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, io: Number(match[1]), push: Number(match[2]) });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`pushserver exited with ${code}:\n${output}`)));
  });
}

function runGenerator(args) {
  return new Promise((resolve) => {
    execFile("node", [generator, ...args], { timeout: 120000 }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

async function runScenario(scenario, extra) {
  const { code, stdout, stderr } = await runGenerator([
    scenario, "--server", `127.0.0.1:${ports.io}`, "--push", `http://127.0.0.1:${ports.push}/`, "--server-pid", String(server.pid),
    "--label", "pushserver", "--max-seconds", "100", ...extra,
  ]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, stdout);
  const result = JSON.parse(lines[0]);
  assert.equal(result.generator, "node-ws");
  assert.equal(result.server, "pushserver");
  return result;
}

test.before(async () => {
  const started = await startServer();
  server = started.child;
  ports = started;
});

test.after(() => {
  if (server && server.exitCode === null) server.kill();
});

for (const [transport, eio] of [["websocket", 4], ["websocket", 3], ["polling", 4], ["polling", 3]]) {
  test(`single broadcasts over ${transport}, EIO=${eio}, reach every client and are timed`, async () => {
    const result = await runScenario("broadcast", ["--clients", "40", "--broadcasts", "3", "--warmup-broadcasts", "2", "--transport", transport, "--eio", String(eio)]);
    assert.equal(result.scenario, "broadcast-single");
    assert.equal(result.transport, transport);
    assert.equal(result.eio, eio);
    assert.equal(result.deliveredPercent, 100);
    assert.equal(result.disconnected, 0);
    assert.ok(result.latencyP50Ms > 0 && result.latencyP50Ms <= result.latencyP99Ms && result.latencyP99Ms <= result.latencyMaxMs, JSON.stringify(result));
    assert.ok(result.generatorCpuSeconds > 0);
  });
}

test("sustained broadcasts send rate x seconds pushes", async () => {
  const result = await runScenario("broadcast", ["--clients", "30", "--bps", "4", "--seconds", "1", "--warmup-broadcasts", "1"]);
  assert.equal(result.scenario, "broadcast-sustained");
  assert.equal(result.broadcasts, 4);
  assert.equal(result.deliveredPercent, 100);
});

for (const transport of ["websocket", "polling"]) {
  test(`echo over ${transport} counts acked round trips`, async () => {
    const result = await runScenario("echo", ["--clients", "5", "--seconds", "1", "--warmup-seconds", "0.5", "--transport", transport]);
    assert.equal(result.scenario, "echo");
    assert.ok(result.acksPerSecond > 0, JSON.stringify(result));
    assert.ok(result.rttP50Ms > 0);
    assert.equal(result.ackTimeouts, 0);
  });
}

test("idle reads the server's memory around the connections", async () => {
  const result = await runScenario("idle", ["--clients", "60", "--baseline-clients", "20", "--hold-seconds", "0.5"]);
  assert.equal(result.scenario, "idle");
  assert.equal(result.clients, 60);
  assert.ok(result.serverRssMiB > 0);
  assert.equal(typeof result.serverBytesPerAddedConnection, "number");
});

test("a server that is not there fails the run with an error, not a result", async () => {
  const { code, stdout, stderr } = await runGenerator(["broadcast", "--server", "127.0.0.1:1", "--push", "http://127.0.0.1:1/", "--server-pid", String(server.pid), "--clients", "2"]);
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.match(stderr, /ECONNREFUSED/);
});

test("a target off loopback is refused before any connection", async () => {
  const { code, stdout, stderr } = await runGenerator(["idle", "--server", "192.0.2.1:3000", "--server-pid", String(server.pid)]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.match(stderr, /loopback/);
});
