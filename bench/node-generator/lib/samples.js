// Latency samples in milliseconds and their nearest-rank percentiles (the value at rank ceil(q * n)), as loadgen
// reports them, so that both generators' p99 mean the same sample of the same count.
"use strict";

class Samples {
  constructor() {
    this.values = [];
  }

  add(ms) {
    this.values.push(ms);
  }

  get count() {
    return this.values.length;
  }

  reset() {
    this.values = [];
  }

  percentiles() {
    if (this.values.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN };
    const sorted = Float64Array.from(this.values).sort();
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] };
  }
}

module.exports = { Samples };
