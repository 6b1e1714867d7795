// One run's figures as one JSON line, with loadgen's field names so that both generators' lines go into the same
// results file and report. Fractions keep three decimals; a figure that could not be measured is null.
"use strict";

class Result {
  constructor(scenario) {
    this.values = { scenario };
  }

  set(name, value) {
    if (typeof value === "number") value = Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null;
    this.values[name] = value;
    return this;
  }

  toJson() {
    return JSON.stringify(this.values);
  }
}

module.exports = { Result };
