#!/usr/bin/env node
// Benchmark: this tool's policy against three anchors, each swept over its
// main parameter to draw the wait/cost frontier, on five traces (the shipped
// one and four seeded shapes), three job seeds each, in one process on the
// same simulated system (3 jobs and 3 Webhooks tasks per machine for every
// policy, 3m boot, group 1..12, 2% of launches with a dead agent). Each policy
// decides at its own interval, as its authors run it: this tool every minute
// (its EventBridge schedule), the original (2020) loop every 30s (it slept
// 30s between runs), KEDA every 30s (its default pollingInterval), target
// tracking on one-minute datapoints. The original as deployed (2 tasks per
// machine) is a separate, labelled row outside the frontier.
//
// The warm pool is a property of the group, which this tool's policy gets as
// its lever (the issue lists it as one): the machines stack's pool of stopped,
// initialised instances, a 60s warm start against a 180s cold boot, no reuse
// on scale-in (restyled.io needs machine names unique over time). This tool
// sizes it each run (warm-pool-target.ts): AWS's default (MaxSize - desired)
// until it has a day of history, then the day's highest desired count + 2,
// minus desired. The anchors, as documented, run without a pool for the goal;
// a separate, labelled comparison gives every anchor the AWS default pool and
// draws that frontier too.
//
// Goal (issue #13): on every trace, our p95 wait at most 0.85x the anchors'
// frontier at our machine-hours, and our machine-hours at most the frontier's
// at our p95. Prints every figure, the frontier and a verdict per trace;
// exits 1 when a goal is missed on any trace (the with-pool comparison is
// reported, not part of the exit code).
import { readFileSync } from "node:fs";
import {
  ANCHOR_SWEEPS,
  DEFAULT_SIMULATION,
  DEFAULT_WARM_POOL,
  DEFAULT_WARM_POOL_SIZING,
  evaluateGoal,
  frontier,
  generateShape,
  onWarmPool,
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
const pool = DEFAULT_WARM_POOL;
const forecast = { lookaheadMs: 20 * 60_000, quantile: 0.5, periodMs: 86_400_000 };
const sizing = DEFAULT_WARM_POOL_SIZING;
const ours = queuePolicy({ warmPool: pool, warmPoolSizing: sizing });
// The pool's sizing levers first: AWS's default pool (the first lever, also
// compared on both accountings at the end), and the headroom swept around 2.
const awsDefaultPool = queuePolicy({ warmPool: pool });
const levers = [
  awsDefaultPool,
  queuePolicy({ warmPool: pool, warmPoolSizing: { ...sizing, headroom: 0 } }),
  queuePolicy({ warmPool: pool, warmPoolSizing: { ...sizing, headroom: 4 } }),
  queuePolicy({ warmPool: null }),
  queuePolicy({ warmPool: { ...pool, warmStartMs: 90_000 }, warmPoolSizing: sizing }),
  queuePolicy({ warmPool: { ...pool, warmStartMs: 120_000 }, warmPoolSizing: sizing }),
  // Not allowed (restyled.io needs machine names unique over time): what reuse would buy.
  queuePolicy({
    warmPool: { ...pool, reuseOnScaleIn: true },
    warmPoolSizing: sizing,
    idleScaleInBy: "protect",
  }),
  queuePolicy({ warmPool: pool, warmPoolSizing: sizing, warmScaleInStabilizationMs: 3 * 60_000 }),
  queuePolicy({
    warmPool: pool,
    warmPoolSizing: sizing,
    scaleInStabilizationMs: 10 * 60_000,
    warmScaleInStabilizationMs: 10 * 60_000,
  }),
  queuePolicy({ warmPool: pool, warmPoolSizing: sizing, idleChoice: false }),
  queuePolicy({ warmPool: pool, warmPoolSizing: sizing, forecast }),
];
const asDeployed = thresholdsPolicy(40, 2);
const pooledAnchors = ANCHOR_SWEEPS.map((spec) => onWarmPool(spec, pool));
const seconds = (ms) => `${Math.round(ms / 1_000)}s`;
const ratio = (value) => (value === null ? "n/a" : value.toFixed(2));
const met = (v) => v.waitMet && v.hoursMet;
const verdictLine = (v) =>
  `p95 vs frontier at our machine-hours ${ratio(v.waitRatio)} (<= 0.85: ${v.waitMet ? "met" : "MISSED"}), ` +
  `machine-hours vs frontier at our p95 ${ratio(v.hoursRatio)} (<= 1.00: ${v.hoursMet ? "met" : "MISSED"})`;
const WIDTH =
  Math.max(...[ours, ...levers, ...ANCHOR_SWEEPS, ...pooledAnchors].map((s) => s.label.length)) + 2;
const header = () =>
  console.log(
    `${"policy".padEnd(WIDTH)}${"p50".padStart(7)}${"p95".padStart(7)}${"mach-h".padStart(8)}${"stopped-h".padStart(10)}${"busy taken".padStart(11)}${"replaced".padStart(9)}  frontier`,
  );
const row = (f, line) =>
  console.log(
    `${f.label.padEnd(WIDTH)}${seconds(f.waitP50Ms).padStart(7)}${seconds(f.waitP95Ms).padStart(7)}${f.machineHours.toFixed(1).padStart(8)}${f.stoppedHours.toFixed(1).padStart(10)}${f.busyScaleIns.toFixed(1).padStart(11)}${f.replaced.toFixed(1).padStart(9)}  ${line.has(f.label) ? "*" : ""}`,
  );

console.log(
  `system: boot 3m, control every 1m for this tool and target tracking, 30s for the original thresholds and KEDA (their authors' loops), group 1..${DEFAULT_SIMULATION.system.max}, 3 jobs and 3 tasks per machine for all, ` +
    `dead agents ${DEFAULT_SIMULATION.system.deadAgentRate * 100}% of starts, jobs lognormal median 45s p95 3m; job seeds ${JOB_SEEDS.join(",")}; figures are means over the seeds\n` +
    `warm pool (this tool's lever; anchors only in the labelled comparison, with AWS's default size): stopped, ` +
    `size max(${pool.minSize}, max - desired) until a ${sizing.windowMs / 3_600_000}h history, then max(${pool.minSize}, the ${sizing.windowMs / 3_600_000}h peak of desired + ${sizing.headroom} - desired), warm start ${pool.warmStartMs / 1_000}s, ` +
    `refills boot cold (${DEFAULT_SIMULATION.system.bootDelayMs / 60_000}m, in mach-h) then stop, reuse on scale-in ${pool.reuseOnScaleIn ? "on" : "off"}; ` +
    `mach-h = running instance-hours (group + pool initialisations), stopped-h = pool instance-hours stopped (EBS only)\n`,
);
const summary = [];
for (const [name, trace] of traces) {
  const figures = runPolicies({
    trace,
    specs: [ours, ...levers, asDeployed, ...ANCHOR_SWEEPS, ...pooledAnchors],
    system: DEFAULT_SIMULATION.system,
    durations: DEFAULT_SIMULATION.durations,
    seeds: JOB_SEEDS,
  });
  const mine = figures[0];
  const mineLevers = figures.slice(1, 1 + levers.length);
  const anchors = figures.filter((f) => f.family !== "queue" && f.label !== asDeployed.label);
  const plain = anchors.filter((f) => !pooledAnchors.some((p) => p.label === f.label));
  const pooled = anchors.filter((f) => pooledAnchors.some((p) => p.label === f.label));
  const line = new Set(frontier(plain).map((f) => f.label));
  const pooledLine = new Set(frontier(pooled).map((f) => f.label));
  console.log(`== ${name}: ${mine.first.jobs} jobs (seed ${JOB_SEEDS[0]})`);
  header();
  for (const f of [mine, ...mineLevers]) row(f, line);
  row(figures[1 + levers.length], line);
  for (const f of plain) row(f, line);
  const verdict = evaluateGoal(mine, plain);
  console.log(`goal (anchors as documented, no warm pool): ${verdictLine(verdict)}`);
  for (const [i, l] of levers.entries()) {
    const v = evaluateGoal(mineLevers[i], plain);
    console.log(`  lever check, ${l.label}: ${ratio(v.waitRatio)} / ${ratio(v.hoursRatio)}`);
  }
  console.log(`-- the same anchors WITH the same warm pool (a separate comparison, not the goal):`);
  for (const f of pooled) row(f, pooledLine);
  const pooledVerdict = evaluateGoal(mine, pooled);
  console.log(`against anchors with the warm pool: ${verdictLine(pooledVerdict)}`);
  console.log("");
  summary.push({ name, mine, plain, verdict, pooledVerdict, awsPool: mineLevers[0] });
}
console.log(
  "| trace | our p95 | our machine-h | frontier p95 at our machine-h: ratio | frontier machine-h at our p95: ratio | goal |",
);
console.log("|---|---|---|---|---|---|");
for (const { name, mine, verdict } of summary) {
  console.log(
    `| ${name} | ${seconds(mine.waitP95Ms)} | ${mine.machineHours.toFixed(1)} | ${ratio(verdict.waitRatio)} | ${ratio(verdict.hoursRatio)} | ${met(verdict) ? "met" : "MISSED"} |`,
  );
}
console.log(
  "\nSeparate comparison, every anchor on the same warm pool (not the goal; reported as it falls):",
);
console.log(
  "| trace | our p95 | our machine-h | our stopped-h | pooled frontier p95 at our machine-h: ratio | pooled frontier machine-h at our p95: ratio | would meet |",
);
console.log("|---|---|---|---|---|---|---|");
for (const { name, mine, pooledVerdict } of summary) {
  console.log(
    `| ${name} | ${seconds(mine.waitP95Ms)} | ${mine.machineHours.toFixed(1)} | ${mine.stoppedHours.toFixed(1)} | ${ratio(pooledVerdict.waitRatio)} | ${ratio(pooledVerdict.hoursRatio)} | ${met(pooledVerdict) ? "yes" : "no"} |`,
  );
}
const pooledMissed = summary.filter((s) => !met(s.pooledVerdict));
console.log(
  `with-pool anchors: ${pooledMissed.length === 0 ? "met on every trace" : `missed on ${pooledMissed.length} of ${summary.length} (${pooledMissed.map((s) => s.name).join(", ")})`}`,
);
// The pool's stopped instances cost their disks. Priced at on-demand list
// prices in us-east-1 for the machines stack's defaults: a 40 GiB gp3 root
// volume at $0.08 per GB-month ($0.0044 an hour) against a t3.large at
// $0.0832 an hour plus that volume: a stopped hour costs 5% of a running one.
const STOPPED_HOUR_COST = (40 * 0.08) / 730 / (0.0832 + (40 * 0.08) / 730);
console.log(
  `\nSeparate comparison, the pool's disks priced in (not the goal; reported as it falls): cost-h = mach-h + ${STOPPED_HOUR_COST.toFixed(3)} x stopped-h, anchors as documented (no pool, no stopped hours):`,
);
console.log(
  "| trace | our p95 | our cost-h | frontier p95 at our cost-h: ratio | frontier machine-h at our p95: ratio | would meet |",
);
console.log("|---|---|---|---|---|---|");
const costMissed = [];
for (const { name, mine, plain } of summary) {
  const costed = {
    ...mine,
    machineHours: mine.machineHours + STOPPED_HOUR_COST * mine.stoppedHours,
  };
  const v = evaluateGoal(costed, plain);
  if (!met(v)) costMissed.push(name);
  console.log(
    `| ${name} | ${seconds(mine.waitP95Ms)} | ${costed.machineHours.toFixed(1)} | ${ratio(v.waitRatio)} | ${ratio(v.hoursRatio)} | ${met(v) ? "yes" : "no"} |`,
  );
}
console.log(
  `disks priced in: ${costMissed.length === 0 ? "met on every trace" : `missed on ${costMissed.length} of ${summary.length} (${costMissed.join(", ")})`}`,
);
// The pool's size: this tool's adaptive pool against AWS's default pool
// (MaxSize - desired, the lever check above), on both accountings.
console.log(
  `\nThe warm pool's size: adaptive (${sizing.windowMs / 3_600_000}h peak + ${sizing.headroom}, this tool's default) vs AWS's default (MaxSize - desired); goal on running machine-hours, then with the disks priced in (cost-h = mach-h + ${STOPPED_HOUR_COST.toFixed(3)} x stopped-h):`,
);
console.log(
  "| trace | pool | p95 | mach-h | stopped-h | goal ratios (p95 / mach-h) | goal | cost-h | priced-in ratios (p95 / cost-h) | priced-in |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const { name, mine, plain, awsPool } of summary) {
  for (const [label, f] of [
    ["AWS default", awsPool],
    ["adaptive", mine],
  ]) {
    const v = evaluateGoal(f, plain);
    const costed = { ...f, machineHours: f.machineHours + STOPPED_HOUR_COST * f.stoppedHours };
    const c = evaluateGoal(costed, plain);
    console.log(
      `| ${name} | ${label} | ${seconds(f.waitP95Ms)} | ${f.machineHours.toFixed(1)} | ${f.stoppedHours.toFixed(1)} | ${ratio(v.waitRatio)} / ${ratio(v.hoursRatio)} | ${met(v) ? "met" : "MISSED"} | ${costed.machineHours.toFixed(1)} | ${ratio(c.waitRatio)} / ${ratio(c.hoursRatio)} | ${met(c) ? "met" : "missed"} |`,
    );
  }
}
const missed = summary.filter((s) => !met(s.verdict));
console.log(
  missed.length === 0
    ? "\nVERDICT: goal met on every trace"
    : `\nVERDICT: goal MISSED on ${missed.length} of ${summary.length} traces (${missed.map((s) => s.name).join(", ")})`,
);
process.exitCode = missed.length === 0 ? 0 : 1;
