import type { JobDurations } from "./job-durations.js";
import { jobsFromTrace } from "./jobs.js";
import type { PolicySpec } from "./policies.js";
import { type SimulationResult, type SystemSettings, simulate } from "./simulator.js";
import type { TraceRow } from "./trace.js";

/** One policy's figures on one trace, averaged over the job seeds. */
export interface PolicyFigures {
  label: string;
  family: PolicySpec["family"];
  parameter: number | null;
  waitP50Ms: number;
  waitP95Ms: number;
  machineHours: number;
  stoppedHours: number;
  busyScaleIns: number;
  replaced: number;
  /** The first seed's run, for the chart. */
  first: SimulationResult;
}

/** Replays the very same jobs (per seed) against every policy. */
export function runPolicies(options: {
  trace: TraceRow[];
  specs: PolicySpec[];
  system: SystemSettings;
  durations: JobDurations;
  seeds: number[];
}): PolicyFigures[] {
  const jobSets = options.seeds.map((seed) => ({
    seed,
    jobs: jobsFromTrace(options.trace, options.durations, seed),
  }));
  return options.specs.map((spec) => {
    const runs = jobSets.map(({ seed, jobs }) =>
      simulate(jobs, spec.make(), {
        ...options.system,
        seed,
        tasksPerMachine: spec.tasksPerMachine ?? options.system.tasksPerMachine,
        controlIntervalMs: spec.controlIntervalMs ?? options.system.controlIntervalMs,
        warmPool: spec.warmPool !== undefined ? spec.warmPool : options.system.warmPool,
      }),
    );
    const mean = (pick: (r: SimulationResult) => number) =>
      runs.reduce((sum, r) => sum + pick(r), 0) / runs.length;
    return {
      label: spec.label,
      family: spec.family,
      parameter: spec.parameter,
      waitP50Ms: mean((r) => r.waitP50Ms),
      waitP95Ms: mean((r) => r.waitP95Ms),
      machineHours: mean((r) => r.machineHours),
      stoppedHours: mean((r) => r.stoppedHours),
      busyScaleIns: mean((r) => r.busyScaleIns),
      replaced: mean((r) => r.replaced),
      first: runs[0]!,
    };
  });
}

/** The anchors' frontier: no point is beaten on both wait and cost by another. Cheapest first. */
export function frontier(points: PolicyFigures[]): PolicyFigures[] {
  const sorted = [...points].sort(
    (a, b) => a.machineHours - b.machineHours || a.waitP95Ms - b.waitP95Ms,
  );
  const kept: PolicyFigures[] = [];
  for (const point of sorted) {
    if (kept.length === 0 || point.waitP95Ms < kept.at(-1)!.waitP95Ms) kept.push(point);
  }
  return kept;
}

/** The frontier's p95 wait at these machine-hours (linear between points); null if no anchor is that cheap. */
export function frontierWaitAt(points: PolicyFigures[], hours: number): number | null {
  const first = points[0];
  if (!first || hours < first.machineHours) return null;
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (hours <= b.machineHours) {
      const f = (hours - a.machineHours) / (b.machineHours - a.machineHours || 1);
      return a.waitP95Ms + f * (b.waitP95Ms - a.waitP95Ms);
    }
  }
  return points.at(-1)!.waitP95Ms;
}

/** The frontier's machine-hours at this p95 wait; null if no anchor waits that little. */
export function frontierHoursAt(points: PolicyFigures[], wait: number): number | null {
  const last = points.at(-1);
  if (!last || wait < last.waitP95Ms) return null;
  if (wait >= points[0]!.waitP95Ms) return points[0]!.machineHours;
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (wait >= b.waitP95Ms) {
      const f = (a.waitP95Ms - wait) / (a.waitP95Ms - b.waitP95Ms || 1);
      return a.machineHours + f * (b.machineHours - a.machineHours);
    }
  }
  return last.machineHours;
}

export interface GoalVerdict {
  /** Ours over the anchors' frontier at our machine-hours; null when no anchor is as cheap. */
  waitRatio: number | null;
  /** Ours over the frontier's machine-hours at our p95; null when no anchor waits as little. */
  hoursRatio: number | null;
  waitMet: boolean;
  hoursMet: boolean;
}

/**
 * The goal: p95 wait at most `waitTarget` (0.85) times the best anchor's at no
 * more machine-hours, and no more machine-hours than the best anchor at equal p95.
 * Where no anchor is as cheap (or waits as little), that half holds by default
 * and the table says so.
 */
export function evaluateGoal(
  ours: PolicyFigures,
  anchors: PolicyFigures[],
  waitTarget = 0.85,
): GoalVerdict {
  const line = frontier(anchors);
  const wait = frontierWaitAt(line, ours.machineHours);
  const hours = frontierHoursAt(line, ours.waitP95Ms);
  const waitRatio = wait === null ? null : ours.waitP95Ms / Math.max(wait, 1);
  const hoursRatio = hours === null ? null : ours.machineHours / hours;
  return {
    waitRatio,
    hoursRatio,
    waitMet: waitRatio === null || waitRatio <= waitTarget,
    hoursMet: hoursRatio === null || hoursRatio <= 1,
  };
}
