import { formatDuration } from "../duration.js";
import type { Comparison } from "./compare.js";
import type { SimulationResult } from "./simulator.js";

const ROWS: Array<[string, (r: SimulationResult) => number, (v: number) => string]> = [
  ["job wait p50", (r) => r.waitP50Ms, formatDuration],
  ["job wait p95", (r) => r.waitP95Ms, formatDuration],
  ["job wait max", (r) => r.waitMaxMs, formatDuration],
  ["machine-hours", (r) => r.machineHours, (v) => v.toFixed(1)],
  ["scaling actions", (r) => r.scalingActions, (v) => String(v)],
];

/** A side-by-side table, this policy against the original, with the ratio of each figure. */
export function formatComparison(comparison: Comparison): string {
  const { queue, thresholds } = comparison.results;
  const lines = [
    `${comparison.jobs} jobs replayed`,
    `${"".padEnd(16)}${"queue policy".padStart(14)}${"thresholds".padStart(14)}${"ratio".padStart(8)}`,
  ];
  for (const [label, pick, format] of ROWS) {
    const mine = pick(queue);
    const original = pick(thresholds);
    const ratio = original === 0 ? (mine === 0 ? "1.00" : "inf") : (mine / original).toFixed(2);
    lines.push(
      `${label.padEnd(16)}${format(mine).padStart(14)}${format(original).padStart(14)}${ratio.padStart(8)}`,
    );
  }
  return lines.join("\n");
}

/** The comparison as plain numbers, for `--json`. */
export function comparisonSummary(comparison: Comparison) {
  const summarize = ({ timeline: _, ...figures }: SimulationResult) => figures;
  return {
    jobs: comparison.jobs,
    queue: summarize(comparison.results.queue),
    thresholds: summarize(comparison.results.thresholds),
  };
}
