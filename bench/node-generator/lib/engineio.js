// The little of Engine.IO and Socket.IO the generator speaks, as text: recognising the frames it waits for and
// building the few it sends. Revision 4 answers the server's pings and joins "/" with "40"; revision 3 pings the
// server itself and is joined to "/" by the server. Long-polling payloads are split as each revision frames them.
"use strict";

const RECORD_SEPARATOR = "\x1e";
const CHAT_PREFIX = '42["chat message","';
const CONNECT = "40";
const PING = "2";
const PONG = "3";

/** What a frame is: "open", "ping", "pong", "close", "connected", "chat", "ack" or "other". */
function classify(frame) {
  switch (frame.charCodeAt(0)) {
    case 0x30: return "open";
    case 0x31: return "close";
    case 0x32: return "ping";
    case 0x33: return "pong";
    case 0x34: break;
    default: return "other";
  }
  const kind = frame.charCodeAt(1);
  if (kind === 0x30) return "connected";
  if (frame.startsWith(CHAT_PREFIX)) return "chat";
  if (kind === 0x33) return "ack";
  return "other";
}

/** The text argument of a chat message frame. */
function chatText(frame) {
  const end = frame.indexOf('"', CHAT_PREFIX.length);
  return frame.slice(CHAT_PREFIX.length, end < 0 ? frame.length : end);
}

/** The ack id of "43<id>[...]", or -1. */
function ackId(frame) {
  const id = parseInt(frame.slice(2), 10);
  return Number.isNaN(id) ? -1 : id;
}

function echoEmit(id) {
  return `42${id}["echo",${id}]`;
}

/** The open packet's JSON: sid and pingInterval (at least 100 ms; 25 s when absent). */
function readOpen(frame) {
  const open = JSON.parse(frame.slice(1));
  return { sid: open.sid, pingIntervalMs: Math.max(Number(open.pingInterval) || 25000, 100) };
}

function splitPayload(body, eio) {
  if (eio === 4) return body.split(RECORD_SEPARATOR);
  // Revision 3: "<length>:<packet>" records, the length in characters.
  const packets = [];
  let at = 0;
  while (at < body.length) {
    const colon = body.indexOf(":", at);
    const length = Number(body.slice(at, colon));
    if (colon <= at || !Number.isInteger(length) || colon + 1 + length > body.length) {
      throw new Error(`malformed revision 3 payload: ${body.slice(0, 80)}`);
    }
    packets.push(body.slice(colon + 1, colon + 1 + length));
    at = colon + 1 + length;
  }
  return packets;
}

function encodePayload(packet, eio) {
  return eio === 4 ? packet : `${packet.length}:${packet}`;
}

module.exports = { classify, chatText, ackId, echoEmit, readOpen, splitPayload, encodePayload, CONNECT, PING, PONG };
