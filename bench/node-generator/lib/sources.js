// Loopback source addresses 127.0.1.1, 127.0.1.2, ... handed out in turn. Every address in 127.0.0.0/8 is on the
// loopback interface; spreading connections over several keeps one server port from exhausting the ephemeral
// ports of a single source address at 10,000 and more connections.
"use strict";

class SourceAddresses {
  constructor(count) {
    this.count = count;
    this.next = 0;
  }

  take() {
    return addressAt(this.next++ % this.count);
  }

  all() {
    return Array.from({ length: this.count }, (_, index) => addressAt(index));
  }
}

function addressAt(index) {
  return `127.0.${1 + Math.floor(index / 250)}.${1 + (index % 250)}`;
}

module.exports = { SourceAddresses };
