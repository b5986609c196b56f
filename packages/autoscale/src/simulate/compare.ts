import { DEFAULT_POLICY_SETTINGS } from "../policy.js";
import { DEFAULT_WARM_POOL_SIZING, type WarmPoolSizing } from "../warm-pool-target.js";
import { DEFAULT_JOB_DURATIONS, type JobDurations, parseJobDurations } from "./job-durations.js";
import { jobsFromTrace } from "./jobs.js";
import {
  kedaPolicy,
  ORIGINAL,
  type PolicySpec,
  queuePolicy,
  targetTrackingPolicy,
  thresholdsPolicy,
} from "./policies.js";
import { type SimulationResult, type SystemSettings, simulate } from "./simulator.js";
import type { TraceRow } from "./trace.js";
import { DEFAULT_WARM_POOL, type WarmPoolSettings } from "./warm-pool.js";

/** The system `simulate` and the benchmark replay on, unless told otherwise. */
export const DEFAULT_SYSTEM: SystemSettings = {
  bootDelayMs: 3 * 60_000,
  controlIntervalMs: 60_000,
  jobsPerMachine: DEFAULT_POLICY_SETTINGS.jobsPerMachine,
  tasksPerMachine: DEFAULT_POLICY_SETTINGS.jobsPerMachine,
  min: 1,
  max: 12,
  deadAgentRate: 0.02,
  bootGraceMs: 10 * 60_000,
  tickMs: 5_000,
  seed: 1,
  // The anchors as documented have no warm pool; the benchmark gives this tool's policy one.
  warmPool: null,
};

export interface SimulationOptions {
  system: SystemSettings;
  durations: JobDurations;
  /** What this tool's policy is told (the boot delay comes from the system). */
  scaleInStabilizationMs: number;
  expectedJobDurationMs: number;
  /**
   * The warm pool of this tool's group, its lever (the anchors get the
   * system's, none by default); undefined: the system's.
   */
  ourWarmPool?: WarmPoolSettings | null;
  /** How this tool sizes its warm pool (warm-pool-target.ts); null or undefined: AWS's default. */
  warmPoolSizing?: WarmPoolSizing | null;
}

export const DEFAULT_SIMULATION: SimulationOptions = {
  system: DEFAULT_SYSTEM,
  durations: parseJobDurations(DEFAULT_JOB_DURATIONS),
  scaleInStabilizationMs: DEFAULT_POLICY_SETTINGS.scaleInStabilizationMs,
  expectedJobDurationMs: DEFAULT_POLICY_SETTINGS.expectedJobDurationMs,
  ourWarmPool: DEFAULT_WARM_POOL,
  warmPoolSizing: DEFAULT_WARM_POOL_SIZING,
};

/** This tool and one operating point of each anchor, plus the original as deployed (2 tasks a machine). */
export function comparedPolicies(options: SimulationOptions): PolicySpec[] {
  return [
    queuePolicy(
      {
        warmPool:
          options.ourWarmPool !== undefined
            ? options.ourWarmPool
            : (options.system.warmPool ?? null),
        ...(options.warmPoolSizing ? { warmPoolSizing: options.warmPoolSizing } : {}),
      },
      {
        ...DEFAULT_POLICY_SETTINGS,
        jobsPerMachine: options.system.jobsPerMachine,
        bootDelayMs: options.system.bootDelayMs,
        scaleInStabilizationMs: options.scaleInStabilizationMs,
        expectedJobDurationMs: options.expectedJobDurationMs,
      },
    ),
    thresholdsPolicy(ORIGINAL.high),
    targetTrackingPolicy(4),
    kedaPolicy(options.system.jobsPerMachine),
    thresholdsPolicy(ORIGINAL.high, 2),
  ];
}

export interface Comparison {
  jobs: number;
  results: Array<{ label: string; family: PolicySpec["family"]; result: SimulationResult }>;
}

/** Replays the same jobs against every compared policy on the same system. */
export function comparePolicies(trace: TraceRow[], options: SimulationOptions): Comparison {
  const jobs = jobsFromTrace(trace, options.durations, options.system.seed);
  return {
    jobs: jobs.length,
    results: comparedPolicies(options).map((spec) => ({
      label: spec.label,
      family: spec.family,
      result: simulate(jobs, spec.make(), {
        ...options.system,
        tasksPerMachine: spec.tasksPerMachine ?? options.system.tasksPerMachine,
        controlIntervalMs: spec.controlIntervalMs ?? options.system.controlIntervalMs,
        warmPool: spec.warmPool !== undefined ? spec.warmPool : options.system.warmPool,
      }),
    })),
  };
}
