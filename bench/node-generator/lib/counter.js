// A count that others wait on: a waiter is woken by the increment that reaches its target rather than by polling,
// and gives up after a timeout. Every wait ends: reached (true) or timed out (false).
"use strict";

class Counter {
  constructor() {
    this.value = 0;
    this.waiters = [];
  }

  increment() {
    this.value++;
    if (this.waiters.length > 0 && this.value >= this.waiters[0].target) this.wake();
  }

  wake() {
    const due = this.waiters.filter((w) => this.value >= w.target);
    this.waiters = this.waiters.filter((w) => this.value < w.target);
    for (const waiter of due) waiter.done(true);
  }

  /** Resolves true once the count reaches target, false after timeoutMs. */
  until(target, timeoutMs) {
    if (this.value >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        target,
        done: (reached) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
      this.waiters.sort((a, b) => a.target - b.target);
    });
  }
}

module.exports = { Counter };
