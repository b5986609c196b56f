import { formatDuration } from "@restyled/core/duration";
import type { Comparison } from "./compare.js";
import type { SimulationResult } from "./simulator.js";

const COLUMNS: Array<[string, (r: SimulationResult) => string]> = [
  ["wait p50", (r) => seconds(r.waitP50Ms)],
  ["wait p95", (r) => seconds(r.waitP95Ms)],
  ["wait max", (r) => seconds(r.waitMaxMs)],
  ["machine-h", (r) => r.machineHours.toFixed(1)],
  ["stopped-h", (r) => r.stoppedHours.toFixed(1)],
  ["warm starts", (r) => String(r.warmStarts)],
  ["actions", (r) => String(r.scalingActions)],
  ["busy taken", (r) => String(r.busyScaleIns)],
  ["replaced", (r) => String(r.replaced)],
];

/** Whole seconds: the simulation steps by seconds, milliseconds would be noise. */
function seconds(ms: number): string {
  return formatDuration(Math.round(ms / 1_000) * 1_000);
}

/** One row per policy, the same jobs on the same system. */
export function formatComparison(comparison: Comparison): string {
  const width = Math.max(...comparison.results.map((r) => r.label.length), 6) + 2;
  const lines = [
    `${comparison.jobs} jobs replayed; "busy taken": scale-ins that took a machine running jobs; "replaced": instances with a dead agent replaced; "stopped-h": warm pool instance-hours stopped (EBS only)`,
    `${"policy".padEnd(width)}${COLUMNS.map(([name]) => name.padStart(12)).join("")}`,
  ];
  for (const { label, result } of comparison.results) {
    lines.push(
      `${label.padEnd(width)}${COLUMNS.map(([, pick]) => pick(result).padStart(12)).join("")}`,
    );
  }
  return lines.join("\n");
}

/** The comparison as plain numbers, for `--json`. */
export function comparisonSummary(comparison: Comparison) {
  return {
    jobs: comparison.jobs,
    policies: comparison.results.map(({ label, family, result: { timeline: _, ...figures } }) => ({
      label,
      family,
      ...figures,
    })),
  };
}
