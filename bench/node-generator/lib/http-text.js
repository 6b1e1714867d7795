// One HTTP request over a keep-alive agent, answered with its body as text; anything but 200 is an error that
// names the status and the start of the body. Every request has a deadline so no run can hang on one.
"use strict";
const http = require("http");

function requestText({ host, port, path, method = "GET", body = null, agent, timeoutMs = 120000 }) {
  return new Promise((resolve, reject) => {
    const headers = body === null ? {} : { "content-type": "text/plain; charset=UTF-8", "content-length": Buffer.byteLength(body) };
    const request = http.request({ host, port, path, method, agent, headers }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        if (response.statusCode === 200) resolve(text);
        else reject(new Error(`HTTP ${response.statusCode} for ${method} ${path}: ${text.slice(0, 120)}`));
      });
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer to ${method} ${path} within ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(body === null ? undefined : body);
  });
}

/** A keep-alive agent with no cap on sockets, each bound to the given source address (or any). */
function keepAliveAgent(localAddress) {
  return new http.Agent({ keepAlive: true, maxSockets: Infinity, localAddress, noDelay: true });
}

module.exports = { requestText, keepAliveAgent };
