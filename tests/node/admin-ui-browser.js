"use strict";

// Drives the Socket.IO Admin UI page served at /admin/ on the push port in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core): logs in with the form the UI shows, then reads and acts on the page
// on command. Every request the page makes to a host other than 127.0.0.1, [::1] or localhost is recorded, and so is
// every failed request or 4xx/5xx answer.
// Config: url (the page, e.g. http://127.0.0.1:PUSHPORT/admin/), username, password, headers (optional, sent with every
// request, e.g. the push token), width, height.
// Events: ready, connected {serverUrl}, socket {id, rooms}, dashboard {websocket, polling, namespaces},
// disconnected {id}, requests {outside, failed}, error {op, message}.
// Commands: socket {id} (open its details from the sockets list), dashboard {websocket} (wait until the dashboard shows
// that many WebSocket clients), disconnect {id} (the sockets list's disconnect button), requests, exit.

const { launch, openAndLogIn } = require("./lib/admin-ui-page");
const { report, readConfig, run, messageOf } = require("./lib/driver");

const config = readConfig();
const timeout = 20000;
const outside = [];
const failed = [];
let browser = null;
let page = null;

function isLoopback(url) {
  const host = new URL(url).hostname;
  return host === "127.0.0.1" || host === "[::1]" || host === "localhost";
}

async function main() {
  browser = await launch();
  page = await openAndLogIn(browser, config, (p) => {
    p.on("request", (request) => {
      if (!request.url().startsWith("data:") && !isLoopback(request.url())) outside.push(request.url());
    });
    p.on("requestfailed", (request) => failed.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
    p.on("response", (response) => {
      if (response.status() >= 400) failed.push(`${response.request().method()} ${response.url()}: ${response.status()}`);
    });
  });
  report({ event: "connected", serverUrl: await page.evaluate(() => localStorage.getItem("server_url")) });
}

async function openSocket(id) {
  await page.goto(new URL("#/sockets", config.url).toString());
  await page.getByRole("row").filter({ hasText: id }).click({ timeout });
  // The details page lists the socket's rooms in the last table; each row's first cell is a room.
  const rooms = page.locator("table").last().locator("tbody tr td:first-child");
  await rooms.first().waitFor({ timeout });
  report({ event: "socket", id, rooms: (await rooms.allInnerTexts()).map((r) => r.trim()) });
}

/** In the page: the clients card's WebSocket and HTTP long-polling counts once WebSocket shows `websocket`, else false. */
function transportCountsWhen(websocket) {
  const counts = {};
  for (const row of document.querySelectorAll("table tbody tr")) {
    const cells = [...row.querySelectorAll("td")].map((cell) => cell.innerText.trim());
    if (cells[0] === "WebSocket" || cells[0] === "HTTP long-polling") counts[cells[0]] = parseInt(cells[1], 10);
  }
  return counts.WebSocket === websocket ? [counts.WebSocket, counts["HTTP long-polling"]] : false;
}

async function waitForDashboard(websocket) {
  await page.goto(new URL("#/", config.url).toString());
  const [ws, polling] = await (await page.waitForFunction(transportCountsWhen, websocket, { timeout })).jsonValue();
  // The namespaces card: one row per namespace with its socket count.
  const namespaces = await page.evaluate(() => [...document.querySelectorAll("table tbody tr")]
    .map((row) => [...row.querySelectorAll("td")].map((cell) => cell.innerText.trim()))
    .filter((cells) => cells.length === 2 && cells[0].startsWith("/"))
    .map(([name, count]) => ({ name, sockets: parseInt(count, 10) })));
  report({ event: "dashboard", websocket: ws, polling, namespaces });
}

async function disconnect(id) {
  await page.goto(new URL("#/sockets", config.url).toString());
  await page.getByRole("row").filter({ hasText: id }).getByRole("button").click({ timeout });
  // The click reaches the row too, which opens the socket's details (shown as disconnected); the list must drop it.
  await page.goto(new URL("#/sockets", config.url).toString());
  await page.getByRole("row").filter({ hasText: id }).waitFor({ state: "detached", timeout });
  report({ event: "disconnected", id });
}

const commands = {
  socket: (c) => openSocket(c.id),
  dashboard: (c) => waitForDashboard(c.websocket),
  disconnect: (c) => disconnect(c.id),
  requests: async () => report({ event: "requests", outside, failed }),
};

let queue = Promise.resolve();
report({ event: "ready" });
const started = main().catch((err) => report({ event: "fatal", message: messageOf(err) }));
run((command) => {
  const handler = commands[command.op];
  if (!handler) return;
  // One command at a time, in order, after the login.
  queue = queue.then(() => started).then(() => handler(command))
    .catch((err) => report({ event: "error", op: command.op, message: messageOf(err) }));
}, () => { if (browser) browser.close().catch(() => {}); });
