// CPU time and resident memory of the server under test, read from /proc/PID (Linux), and the generator's own
// CPU time. The server's figures are its process alone, whatever the generator spends beside it.
"use strict";
const fs = require("fs");

// utime and stime in /proc/PID/stat count kernel clock ticks: 100 a second on every Linux this runs on.
const TICKS_PER_SECOND = 100;

function serverCpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
  // The command name is in parentheses and may hold spaces; the fields after it are plain.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function serverRssBytes(pid) {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "latin1"));
  return match ? Number(match[1]) * 1024 : 0;
}

function generatorCpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

module.exports = { serverCpuSeconds, serverRssBytes, generatorCpuSeconds };
