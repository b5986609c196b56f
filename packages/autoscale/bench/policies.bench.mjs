#!/usr/bin/env node
// Benchmark: this tool's policy against three anchors, each swept over its
// main parameter to draw the wait/cost frontier, on five traces (the shipped
// one and four seeded shapes), three job seeds each, in one process on the
// same simulated system (3 jobs and 3 Webhooks tasks per machine for every
// policy, 3m boot, 1m control interval, group 1..12, 2% of launches with a
// dead agent). The original as deployed (2 tasks per machine) is a separate,
// labelled row outside the frontier.
//
// Goal (issue #13): on every trace, our p95 wait at most 0.85x the anchors'
// frontier at our machine-hours, and our machine-hours at most the frontier's
// at our p95. Prints every figure, the frontier and a verdict per trace;
// exits 1 when a goal is missed on any trace.
import { readFileSync } from "node:fs";
import {
  ANCHOR_SWEEPS,
  DEFAULT_SIMULATION,
  evaluateGoal,
  frontier,
  generateShape,
  parseTrace,
  queuePolicy,
  runPolicies,
  SHAPES,
  thresholdsPolicy,
} from "../dist/index.js";

const TRACE_SEED = 11;
const JOB_SEEDS = [1, 2, 3];
const traces = [
  [
    "shipped (3 weekdays)",
    parseTrace(
      readFileSync(new URL("../traces/synthetic-3-days.csv", import.meta.url), "utf8"),
      "traces/synthetic-3-days.csv",
    ),
  ],
  ...SHAPES.map((shape) => [shape, generateShape(shape, TRACE_SEED)]),
];
const ours = queuePolicy();
const levers = [
  queuePolicy({ scaleInStabilizationMs: 10 * 60_000 }),
  queuePolicy({ idleChoice: false }),
  queuePolicy({ forecast: { lookaheadMs: 20 * 60_000, quantile: 0.5, periodMs: 86_400_000 } }),
];
const asDeployed = thresholdsPolicy(40, 2);
const seconds = (ms) => `${Math.round(ms / 1_000)}s`;
const ratio = (value) => (value === null ? "n/a" : value.toFixed(2));

console.log(
  `system: boot 3m, control every 1m, group 1..${DEFAULT_SIMULATION.system.max}, 3 jobs and 3 tasks per machine for all, ` +
    `dead agents ${DEFAULT_SIMULATION.system.deadAgentRate * 100}% of launches, jobs lognormal median 45s p95 3m; job seeds ${JOB_SEEDS.join(",")}; figures are means over the seeds\n`,
);
const summary = [];
for (const [name, trace] of traces) {
  const figures = runPolicies({
    trace,
    specs: [ours, ...levers, asDeployed, ...ANCHOR_SWEEPS],
    system: DEFAULT_SIMULATION.system,
    durations: DEFAULT_SIMULATION.durations,
    seeds: JOB_SEEDS,
  });
  const mine = figures[0];
  const anchors = figures.filter((f) => f.family !== "queue" && f.label !== asDeployed.label);
  const line = new Set(frontier(anchors).map((f) => f.label));
  console.log(`== ${name}: ${figures[0].first.jobs} jobs (seed ${JOB_SEEDS[0]})`);
  console.log(
    `${"policy".padEnd(50)}${"p50".padStart(7)}${"p95".padStart(7)}${"mach-h".padStart(8)}${"busy taken".padStart(11)}${"replaced".padStart(9)}  frontier`,
  );
  for (const f of figures) {
    console.log(
      `${f.label.padEnd(50)}${seconds(f.waitP50Ms).padStart(7)}${seconds(f.waitP95Ms).padStart(7)}${f.machineHours.toFixed(1).padStart(8)}${f.busyScaleIns.toFixed(1).padStart(11)}${f.replaced.toFixed(1).padStart(9)}  ${line.has(f.label) ? "*" : ""}`,
    );
  }
  const verdict = evaluateGoal(mine, anchors);
  const leverVerdicts = levers.map((l, i) => [l.label, evaluateGoal(figures[i + 1], anchors)]);
  console.log(
    `goal: p95 vs frontier at our machine-hours ${ratio(verdict.waitRatio)} (<= 0.85: ${verdict.waitMet ? "met" : "MISSED"}), ` +
      `machine-hours vs frontier at our p95 ${ratio(verdict.hoursRatio)} (<= 1.00: ${verdict.hoursMet ? "met" : "MISSED"})`,
  );
  for (const [label, v] of leverVerdicts)
    console.log(`  lever check, ${label}: ${ratio(v.waitRatio)} / ${ratio(v.hoursRatio)}`);
  console.log("");
  summary.push({ name, mine, verdict });
}
console.log(
  "| trace | our p95 | our machine-h | frontier p95 at our machine-h: ratio | frontier machine-h at our p95: ratio | goal |",
);
console.log("|---|---|---|---|---|---|");
for (const { name, mine, verdict } of summary) {
  console.log(
    `| ${name} | ${seconds(mine.waitP95Ms)} | ${mine.machineHours.toFixed(1)} | ${ratio(verdict.waitRatio)} | ${ratio(verdict.hoursRatio)} | ${verdict.waitMet && verdict.hoursMet ? "met" : "MISSED"} |`,
  );
}
const missed = summary.filter((s) => !(s.verdict.waitMet && s.verdict.hoursMet));
console.log(
  missed.length === 0
    ? "\nVERDICT: goal met on every trace"
    : `\nVERDICT: goal MISSED on ${missed.length} of ${summary.length} traces (${missed.map((s) => s.name).join(", ")})`,
);
process.exitCode = missed.length === 0 ? 0 : 1;
