"use strict";

// Opens the demo chat in two pages of headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
// types a message in the first and reports whether it appeared in both, then (with pushUrl) pushes a message through the
// push API and reports whether both pages show it as the backend's. Each page's log lines are reported as
// {time, who, text}; every request a page made that failed or answered 4xx/5xx is reported too.
// Config: url (the Socket.IO port, e.g. http://127.0.0.1:PORT), query (page options, e.g. "client=2"), text,
// pushUrl (optional, the push API's root), pushText (optional),
// args (extra Chromium flags, e.g. ["--ignore-certificate-errors-spki-list=HASH"] to trust one certificate).
// Events: ready, connected {pages}, result {first, second, failedRequests}; commands: exit.

const { chromium } = require("playwright-core");
const { report, readConfig, run, messageOf } = require("./lib/driver");

const config = readConfig();
let browser = null;

async function main() {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    // Without the background-networking flags Chromium keeps calling out, which this machine's network refuses.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", ...(config.args || [])],
  });
  const address = `${config.url}/${config.query ? "?" + config.query : ""}`;
  const pages = [];
  const failedRequests = [];
  for (let i = 0; i < 2; i++) {
    const page = await browser.newPage();
    page.on("requestfailed", (request) => failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
    page.on("response", (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.request().method()} ${response.url()}: ${response.status()}`);
    });
    await page.goto(address);
    await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("connected"), null, { timeout: 15000 });
    pages.push(page);
  }
  report({ event: "connected", pages: pages.length, status: await pages[0].textContent("#status") });

  await pages[0].fill("#input", config.text);
  await pages[0].press("#input", "Enter");
  await waitForLine(pages, config.text);
  if (config.pushUrl) {
    const response = await fetch(`${config.pushUrl}?msg=${encodeURIComponent(config.pushText)}`);
    if (!response.ok) throw new Error(`push answered ${response.status}`);
    await waitForLine(pages, config.pushText);
  }
  const seen = [];
  for (const page of pages) {
    seen.push(await page.$$eval("#messages li", (items) => items.map((li) => ({
      time: li.querySelector("time")?.textContent ?? "",
      who: li.querySelector(".who")?.textContent ?? "",
      text: li.querySelector(".text")?.textContent ?? "",
    }))));
  }
  report({ event: "result", first: seen[0], second: seen[1], failedRequests });
}

async function waitForLine(pages, text) {
  for (const page of pages) {
    await page.waitForFunction((t) => [...document.querySelectorAll("#messages li .text")].some((e) => e.textContent === t),
      text, { timeout: 15000 });
  }
}

report({ event: "ready" });
main().catch((err) => report({ event: "fatal", message: messageOf(err) }));
run(() => {}, () => { if (browser) browser.close().catch(() => {}); });
