#!/usr/bin/env node
// Benchmark: this package's queue policy against the named baseline, the
// original thresholds policy (depth > 40: 4 machines, < 10: 1), replaying the
// shipped trace in the same process with the same jobs, for several job seeds.
// Targets: p95 job wait at most half of the baseline's, no more machine-hours.
// Prints both policies side by side with the ratios; exits 1 when a target is missed.
import { readFileSync } from "node:fs";
import {
  comparePolicies,
  DEFAULT_SIMULATION,
  formatComparison,
  parseTrace,
} from "../dist/index.js";

const tracePath = new URL("../traces/synthetic-3-days.csv", import.meta.url);
const trace = parseTrace(readFileSync(tracePath, "utf8"), "traces/synthetic-3-days.csv");
const seeds = [1, 2, 3];
let missed = 0;

console.log("baseline: original thresholds policy (2 Webhooks tasks per machine)");
console.log(
  "candidate: queue policy, defaults (10m stabilization, 3 jobs and 3 tasks per machine)",
);
console.log(
  `settings: boot delay 3m, autoscaler every 1m, group 1..4, jobs lognormal median 45s p95 3m\n`,
);
for (const seed of seeds) {
  const comparison = comparePolicies(trace, { ...DEFAULT_SIMULATION, seed });
  const { queue, thresholds } = comparison.results;
  const waitRatio = queue.waitP95Ms / thresholds.waitP95Ms;
  const hoursRatio = queue.machineHours / thresholds.machineHours;
  const waitOk = waitRatio <= 0.5;
  const hoursOk = hoursRatio <= 1;
  if (!waitOk || !hoursOk) missed += 1;
  console.log(`seed ${seed}`);
  console.log(formatComparison(comparison));
  console.log(
    `p95 wait ratio ${waitRatio.toFixed(2)} (target <= 0.50: ${waitOk ? "met" : "MISSED"}), ` +
      `machine-hours ratio ${hoursRatio.toFixed(2)} (target <= 1.00: ${hoursOk ? "met" : "MISSED"})\n`,
  );
}
// For information, not the target: how the trade-off moves with the scale-in window.
console.log("sensitivity (seed 1): scale-in stabilization window against both ratios");
for (const minutes of [10, 5, 2]) {
  const { queue, thresholds } = comparePolicies(trace, {
    ...DEFAULT_SIMULATION,
    scaleInStabilizationMs: minutes * 60_000,
  }).results;
  console.log(
    `  ${String(minutes).padStart(2)}m: p95 wait ratio ${(queue.waitP95Ms / thresholds.waitP95Ms).toFixed(2)}, ` +
      `machine-hours ratio ${(queue.machineHours / thresholds.machineHours).toFixed(2)}`,
  );
}
process.exitCode = missed === 0 ? 0 : 1;
