"use strict";

// Test double for the C# NodeClient fixture: it speaks the same JSON-lines
// protocol as the real client drivers but talks to no server.
//   {"op":"echo", ...}    -> {"event":"echo","command":{...}}
//   {"op":"stderr","text"} writes text to stderr (shows up in failure messages)
//   {"op":"hang"}          from now on ignores exit and stdin EOF, so only a kill ends it
//   {"op":"exit"} / EOF    exits with code 0

const readline = require("readline");

let hanging = false;
function report(event) {
  process.stdout.write(JSON.stringify(event) + "\n");
}
function exit() {
  if (hanging) return;
  process.stdout.write("", () => process.exit(0));
}

report({ event: "ready", argv: process.argv.slice(2) });

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  const command = JSON.parse(line);
  switch (command.op) {
    case "echo":
      report({ event: "echo", command });
      break;
    case "stderr":
      process.stderr.write(String(command.text) + "\n");
      report({ event: "stderrWritten" });
      break;
    case "hang":
      hanging = true;
      process.on("SIGTERM", () => {});
      setInterval(() => {}, 1000);
      report({ event: "hanging", pid: process.pid });
      break;
    case "exit":
      exit();
      break;
    default:
      report({ event: "commandError", message: `unknown op ${command.op}` });
  }
});
lines.on("close", exit);
