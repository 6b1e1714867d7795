// The generator's pieces that decide its figures: framing, percentiles, waiting on counts, refusing targets.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const eio = require("../lib/engineio");
const { Samples } = require("../lib/samples");
const { Counter } = require("../lib/counter");
const { parse } = require("../lib/options");
const { SourceAddresses } = require("../lib/sources");

test("frames are told apart and their payloads read", () => {
  assert.equal(eio.classify('0{"sid":"a","pingInterval":25000}'), "open");
  assert.equal(eio.classify("2"), "ping");
  assert.equal(eio.classify('40{"sid":"b"}'), "connected");
  assert.equal(eio.classify('42["chat message","123456"]'), "chat");
  assert.equal(eio.chatText('42["chat message","123456"]'), "123456");
  assert.equal(eio.classify('42["chat message from server","1"]'), "other");
  assert.equal(eio.classify("437[7]"), "ack");
  assert.equal(eio.ackId("437[7]"), 7);
  assert.equal(eio.echoEmit(7), '427["echo",7]');
  assert.deepEqual(eio.readOpen('0{"sid":"x","pingInterval":5}'), { sid: "x", pingIntervalMs: 100 });
});

test("long-polling payloads split as each revision frames them", () => {
  assert.deepEqual(eio.splitPayload("2\x1e40\x1e42[\"a\"]", 4), ["2", "40", '42["a"]']);
  assert.deepEqual(eio.splitPayload('1:22:407:42["a"]', 3), ["2", "40", '42["a"]']);
  assert.throws(() => eio.splitPayload("9:2", 3), /malformed/);
  assert.equal(eio.encodePayload("40", 3), "2:40");
  assert.equal(eio.encodePayload("40", 4), "40");
});

test("percentiles are nearest-rank over every sample", () => {
  const samples = new Samples();
  for (let i = 100; i >= 1; i--) samples.add(i);
  assert.deepEqual(samples.percentiles(), { p50: 50, p90: 90, p99: 99, max: 100 });
  samples.reset();
  assert.ok(Number.isNaN(samples.percentiles().p99));
});

test("a wait on a count ends when the count is reached, or with false at its timeout", async () => {
  const counter = new Counter();
  const reached = counter.until(3, 10000);
  const missed = counter.until(100, 50);
  counter.increment();
  counter.increment();
  counter.increment();
  assert.equal(await reached, true);
  assert.equal(await missed, false);
  assert.equal(await counter.until(2, 1), true);
});

test("targets other than loopback are refused", () => {
  const base = ["broadcast", "--server-pid", "1"];
  assert.throws(() => parse([...base, "--server", "10.0.0.1:3000"]), /loopback/);
  assert.throws(() => parse([...base, "--server", "example.org:3000"]), /loopback/);
  assert.throws(() => parse([...base, "--server", "127.0.0.1:3000", "--push", "http://192.168.1.1:9000/"]), /loopback/);
  assert.equal(parse([...base, "--server", "127.0.0.1:3000", "--push", "http://localhost:9000/"]).port, 3000);
  assert.throws(() => parse([...base, "--server", "127.0.0.1:3000", "--clients", "-1"]), /number/);
  assert.throws(() => parse([...base, "--server", "127.0.0.1:3000", "--bogus", "1"]), /unknown option/);
});

test("source addresses go round the loopback range", () => {
  const sources = new SourceAddresses(251);
  assert.deepEqual([sources.take(), sources.take()], ["127.0.1.1", "127.0.1.2"]);
  assert.equal(sources.all()[250], "127.0.2.1");
});
