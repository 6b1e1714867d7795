"use strict";

// A page served on its own loopback port (a Node HTTP server here) connects to the Socket.IO server on another port,
// in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), as a website's page calls its push
// server. Each attempt loads the page from http://<pageHost>:<page port>/ and reports what socket.io-client saw.
// Config: server (e.g. http://127.0.0.1:PORT), attempts [{pageHost, transports}].
// Events: ready, page {origin}, result {index, origin, connected, echo | error}; commands: exit.

const http = require("http");
const { chromium } = require("playwright-core");
const { report, readConfig, run, messageOf } = require("./lib/driver");

const config = readConfig();
let browser = null;
let pages = null;

// The page loads the client the server itself serves (a script tag needs no CORS), connects, and round-trips an ack.
function page(server, transports) {
  return `<!doctype html><meta charset="utf-8"><title>cross-origin</title>
<script src="${server}/socket.io/socket.io.js"></script>
<script>
  const socket = io(${JSON.stringify(server)}, { transports: ${JSON.stringify(transports)}, reconnection: false, timeout: 10000 });
  socket.on("connect", () => socket.emit("echo", "round trip", (reply) => { window.result = { connected: true, echo: reply }; }));
  socket.on("connect_error", (err) => { window.result = { connected: false, error: err.message }; });
</script>`;
}

async function main() {
  let current = "";
  pages = http.createServer((req, res) => {
    if (req.url !== "/") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(current);
  });
  await new Promise((resolve) => pages.listen(0, "127.0.0.1", resolve));
  const port = pages.address().port;

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    // Without the background-networking flags Chromium keeps calling out, which this machine's network refuses.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  for (const [index, attempt] of config.attempts.entries()) {
    const origin = `http://${attempt.pageHost}:${port}`;
    report({ event: "page", origin });
    current = page(config.server, attempt.transports || ["polling", "websocket"]);
    const tab = await browser.newPage();
    await tab.goto(origin + "/");
    const handle = await tab.waitForFunction(() => window.result, null, { timeout: 30000 });
    report({ event: "result", index, origin, ...(await handle.jsonValue()) });
    await tab.close();
  }
}

report({ event: "ready" });
main().catch((err) => report({ event: "fatal", message: messageOf(err) }));
run(() => {}, () => {
  if (browser) browser.close().catch(() => {});
  if (pages) pages.close();
});
