"use strict";

// Makes the Admin UI screenshots in docs/images: a few real socket.io clients in rooms, some chat traffic and some
// clients coming and going, then the dashboard, the sockets list and one socket's details as the UI shows them.
// Run by scripts/admin-ui-screenshots.sh, which starts the server; config is one JSON argument:
// {url, username, password, socketIOUrl, pushUrl, outDir}.

const path = require("path");
const { io } = require("socket.io-client");
const { launch, openAndLogIn } = require("./lib/admin-ui-page");

const config = JSON.parse(process.argv[2]);
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function connect(query) {
  const socket = io(config.socketIOUrl, { query, transports: query.transport === "polling" ? ["polling"] : ["polling", "websocket"] });
  await new Promise((resolve, reject) => { socket.once("connect", resolve); socket.once("connect_error", reject); });
  return socket;
}

async function join(socket, rooms) {
  const response = await fetch(new URL("api/sockets/join", config.pushUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ socketId: socket.id, targetRooms: rooms }),
  });
  if (!response.ok) throw new Error(`join answered ${response.status}`);
}

async function main() {
  const rooms = [["news", "sports"], ["news"], ["news", "weather"], ["sports"], ["weather", "vip"], ["news", "vip"]];
  const clients = [];
  for (const [i, roomsOf] of rooms.entries()) {
    const socket = await connect({ user: `user-${i + 1}`, ...(i === 5 ? { transport: "polling" } : {}) });
    await join(socket, roomsOf);
    clients.push(socket);
  }
  const browser = await launch();
  try {
    const page = await openAndLogIn(browser, config);
    // Traffic for the charts: chat lines both ways, and visitors who come and go.
    for (let round = 0; round < 12; round++) {
      for (const socket of clients) socket.emit("chat message", `message ${round} from ${socket.id}`);
      await fetch(new URL(`?msg=${encodeURIComponent(`news update ${round}`)}`, config.pushUrl));
      const visitor = await connect({ user: `visitor-${round}` });
      if (round % 3 !== 0) setTimeout(() => visitor.close(), 1500);
      else clients.push(visitor);
      await delay(1000);
    }
    await delay(2500);
    const shot = async (name, hash, until) => {
      await page.goto(new URL(hash, config.url).toString());
      if (until) await page.getByText(until).first().waitFor();
      await delay(1500);
      await page.screenshot({ path: path.join(config.outDir, name) });
      console.log(`wrote ${path.join(config.outDir, name)}`);
    };
    await shot("admin-ui-dashboard.png", "#/", "Namespaces");
    await shot("admin-ui-sockets.png", "#/sockets", clients[0].id);
    await shot("admin-ui-socket-details.png", `#/n/${encodeURIComponent("/")}/sockets/${clients[0].id}`, "sports");
    await shot("admin-ui-rooms.png", "#/rooms", "weather");
  } finally {
    await browser.close();
    for (const socket of clients) socket.close();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
