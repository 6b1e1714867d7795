"use strict";

// Opens the Admin UI page served at /admin/ on the push port in headless Chromium and logs in with the form the UI
// shows; shared by the browser test's driver and the screenshot script.

const { chromium } = require("playwright-core");

/** Launches Debian's Chromium (or CHROMIUM_PATH) headless, without the background calls it makes by default. */
function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

/**
 * Opens `url` in a new page of `browser` and logs in as `username`/`password`, resolving once the header shows the UI
 * connected. `onPage` sees the page before it loads (to watch its requests).
 */
async function openAndLogIn(browser, { url, username, password, width, height, headers, timeout = 20000 }, onPage = () => {}) {
  const context = await browser.newContext({ viewport: { width: width || 1400, height: height || 900 }, extraHTTPHeaders: headers || {} });
  const page = await context.newPage();
  onPage(page);
  await page.goto(url);
  // The UI opens its connection form, already filled with this server's URL, when it cannot connect without a login.
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Connect" }).click();
  await page.waitForFunction(() => [...document.querySelectorAll("header .v-chip__content")]
    .some((chip) => chip.textContent.trim() === "connected" && chip.offsetParent !== null), null, { timeout });
  return page;
}

module.exports = { launch, openAndLogIn };
