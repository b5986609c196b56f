import { DEFAULT_POLICY_SETTINGS } from "../policy.js";
import { DEFAULT_JOB_DURATIONS, type JobDurations, parseJobDurations } from "./job-durations.js";
import { jobsFromTrace } from "./jobs.js";
import {
  type PolicyName,
  type SimulationResult,
  type SimulationSettings,
  simulate,
} from "./simulator.js";
import type { TraceRow } from "./trace.js";

/** The settings `simulate` uses unless told otherwise, shared by the CLI and the benchmark. */
export const DEFAULT_SIMULATION: SimulationSettings & { durations: JobDurations; seed: number } = {
  bootDelayMs: 3 * 60_000,
  controlIntervalMs: 60_000,
  jobsPerMachine: DEFAULT_POLICY_SETTINGS.jobsPerMachine,
  min: 1,
  max: 4,
  scaleInStabilizationMs: DEFAULT_POLICY_SETTINGS.scaleInStabilizationMs,
  expectedJobDurationMs: DEFAULT_POLICY_SETTINGS.expectedJobDurationMs,
  tasksPerMachine: { queue: 3, thresholds: 2 },
  durations: parseJobDurations(DEFAULT_JOB_DURATIONS),
  seed: 1,
};

export interface Comparison {
  jobs: number;
  results: Record<PolicyName, SimulationResult>;
}

/** Replays the same jobs against this tool's policy and the original thresholds policy. */
export function comparePolicies(
  trace: TraceRow[],
  options: SimulationSettings & { durations: JobDurations; seed: number },
): Comparison {
  const jobs = jobsFromTrace(trace, options.durations, options.seed);
  return {
    jobs: jobs.length,
    results: {
      queue: simulate(jobs, "queue", options),
      thresholds: simulate(jobs, "thresholds", options),
    },
  };
}
