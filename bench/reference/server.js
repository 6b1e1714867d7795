// The Node reference for the benchmarks: socket.io 4.8 with the behaviour the pushserver executable is
// configured with (config/pushserver.json's defaults):
//   - push port: GET /?msg=TEXT emits "chat message" TEXT to every client of "/" and answers "ok";
//   - a client's "chat message" is emitted to all as "chat message from server";
//   - "echo" is acked with its own arguments.
// Usage: node server.js PORT PUSH_PORT   (binds 127.0.0.1 only)
"use strict";
const http = require("http");
const { Server } = require("socket.io");

const port = Number(process.argv[2] || 3200);
const pushPort = Number(process.argv[3] || 9292);

const server = http.createServer();
const io = new Server(server, { allowEIO3: true, serveClient: false });
io.on("connection", (socket) => {
  socket.on("chat message", (msg) => io.emit("chat message from server", msg));
  socket.on("echo", (...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    if (ack) ack(...args);
  });
});
server.listen(port, "127.0.0.1");

http
  .createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const msg = url.searchParams.get("msg");
    if (url.pathname !== "/" || msg === null) {
      res.writeHead(400, { "content-type": "application/json" });
      res.end('{"error":{"code":"missing_parameter","message":"msg is required"}}');
      return;
    }
    io.emit("chat message", msg);
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  })
  .listen(pushPort, "127.0.0.1", () => console.log(`reference listening on ${port}, push ${pushPort}`));
