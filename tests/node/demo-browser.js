"use strict";

// Opens the demo chat in two pages of headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
// types a message in the first and reports whether it appeared in both.
// Config: url (the Socket.IO port, e.g. http://127.0.0.1:PORT), query (page options, e.g. "client=2"), text,
//         args (extra Chromium flags, e.g. ["--ignore-certificate-errors-spki-list=HASH"] to trust one certificate).
// Events: ready, connected {pages}, result {first, second}; commands: exit.

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
  for (let i = 0; i < 2; i++) {
    const page = await browser.newPage();
    await page.goto(address);
    await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("connected"), null, { timeout: 15000 });
    pages.push(page);
  }
  report({ event: "connected", pages: pages.length, status: await pages[0].textContent("#status") });

  await pages[0].fill("#input", config.text);
  await pages[0].press("#input", "Enter");
  const seen = [];
  for (const page of pages) {
    await page.waitForFunction((text) => [...document.querySelectorAll("#messages li")].some((li) => li.textContent === text),
      config.text, { timeout: 15000 });
    seen.push(await page.$$eval("#messages li", (items) => items.map((li) => li.textContent)));
  }
  report({ event: "result", first: seen[0], second: seen[1] });
}

report({ event: "ready" });
main().catch((err) => report({ event: "fatal", message: messageOf(err) }));
run(() => {}, () => { if (browser) browser.close().catch(() => {}); });
