import { DEFAULT_POLICY_SETTINGS, type PolicySettings } from "../policy.js";
import type { WarmPoolSizing } from "../warm-pool-target.js";
import {
  type Controller,
  type ForecastSettings,
  kedaController,
  queueController,
  targetTrackingController,
  thresholdsController,
} from "./controllers.js";
import type { WarmPoolSettings } from "./warm-pool.js";

/** A policy by name and parameter, made fresh for every replay (controllers keep state). */
export interface PolicySpec {
  /** The family: this tool or one of the anchors. */
  family: "queue" | "thresholds" | "target-tracking" | "keda";
  label: string;
  /** The swept parameter's value, for the frontier table. */
  parameter: number | null;
  make: () => Controller;
  /** Webhooks tasks per machine when it differs from the system's (the original's 2, labelled). */
  tasksPerMachine?: number;
  /** The warm pool this run's group has, when it differs from the system's (null: none). */
  warmPool?: WarmPoolSettings | null;
  /**
   * How often this policy decides, when it is its own (an anchor run as its
   * authors wrote it); this tool runs at the system's interval (its schedule).
   */
  controlIntervalMs?: number;
}

/** The original (2020) loop slept 30 s between runs (restyled-io/ops autoscale/watch, main.py). */
export const ORIGINAL_INTERVAL_MS = 30_000;
/** KEDA's ScaledObject pollingInterval defaults to 30 s (KEDA's ScaledObject specification). */
export const KEDA_POLLING_INTERVAL_MS = 30_000;
/** Target tracking's alarms evaluate one-minute CloudWatch datapoints. */
export const TARGET_TRACKING_PERIOD_MS = 60_000;

/** The same policy on a group with this warm pool (or none), labelled so. */
export function onWarmPool(spec: PolicySpec, warmPool: WarmPoolSettings | null): PolicySpec {
  return {
    ...spec,
    label: `${spec.label}${warmPool ? ", warm pool" : ", no warm pool"}`,
    warmPool,
  };
}

/** The original (2020) tool: above 40 queued, 4 machines (and 8 tasks); under 10, 1 machine. */
export const ORIGINAL = { high: 40, low: 10, machines: 4 };

export function thresholdsPolicy(high: number, tasksPerMachine?: number): PolicySpec {
  const low = Math.max(1, Math.round((high * ORIGINAL.low) / ORIGINAL.high));
  return {
    family: "thresholds",
    label: `thresholds >${high}/<${low}${tasksPerMachine ? `, ${tasksPerMachine} tasks/machine` : ""}`,
    parameter: high,
    make: () => thresholdsController({ high, low, machines: ORIGINAL.machines }),
    tasksPerMachine,
    controlIntervalMs: ORIGINAL_INTERVAL_MS,
  };
}

export function targetTrackingPolicy(target: number): PolicySpec {
  return {
    family: "target-tracking",
    label: `target tracking, backlog/instance ${target}`,
    parameter: target,
    make: () => targetTrackingController({ target }),
    controlIntervalMs: TARGET_TRACKING_PERIOD_MS,
  };
}

export function kedaPolicy(perMachine: number, windowMs = 300_000): PolicySpec {
  return {
    family: "keda",
    label: `KEDA/HPA, ${perMachine} jobs/machine, ${windowMs / 60_000}m window`,
    parameter: perMachine,
    make: () => kedaController({ perMachine, windowMs }),
    controlIntervalMs: KEDA_POLLING_INTERVAL_MS,
  };
}

/** This tool's levers beyond the plain boot-aware policy. */
export interface QueueLevers {
  forecast?: ForecastSettings;
  scaleInStabilizationMs?: number;
  /** The window while the pool has instances ready (default: the warm start). */
  warmScaleInStabilizationMs?: number;
  /** How the chosen idle machine is scaled in (controllers.ts); default "terminate", what the live tool does. */
  idleScaleInBy?: "terminate" | "protect";
  /** false: let Auto Scaling pick the instance on scale-in (to measure what choosing bought). */
  idleChoice?: boolean;
  /**
   * The group's warm pool, which this policy is told of (its warm start time
   * replaces the boot delay while instances are ready); null: none.
   */
  warmPool?: WarmPoolSettings | null;
  /** This tool sizes the warm pool each step (warm-pool-target.ts) instead of AWS's default. */
  warmPoolSizing?: WarmPoolSizing;
}

export function queuePolicy(
  levers: QueueLevers = {},
  settings: PolicySettings = DEFAULT_POLICY_SETTINGS,
): PolicySpec {
  const { warmPool, ...rest } = levers;
  const merged = {
    ...settings,
    ...rest,
    warmStartMs: warmPool ? warmPool.warmStartMs : settings.warmStartMs,
  };
  const parts = [`${merged.scaleInStabilizationMs / 60_000}m window`];
  if (warmPool) {
    const warmWindow = merged.warmScaleInStabilizationMs ?? warmPool.warmStartMs;
    parts.push(
      `warm pool ${warmPool.warmStartMs / 1_000}s start, ${warmWindow / 60_000}m window while warm${warmPool.reuseOnScaleIn ? ", reuse on scale-in" : ""}`,
    );
  }
  if (warmPool === null) parts.push("no warm pool");
  if (levers.idleScaleInBy === "protect") parts.push("scale-in through Auto Scaling");
  if (levers.forecast) parts.push("daily forecast");
  if (warmPool && !levers.warmPoolSizing) parts.push("AWS default pool size");
  if (warmPool && levers.warmPoolSizing) {
    const z = levers.warmPoolSizing;
    parts.push(`pool sized to the ${z.windowMs / 3_600_000}h peak + ${z.headroom}`);
  }
  if (levers.idleChoice === false) parts.push("Auto Scaling picks");
  return {
    family: "queue",
    label: `this tool (${parts.join(", ")})`,
    parameter: null,
    ...(warmPool !== undefined ? { warmPool } : {}),
    make: () => {
      const controller = queueController(merged);
      return levers.idleChoice === false ? { ...controller, scaleIn: "auto-scaling" } : controller;
    },
  };
}

/** Each anchor swept over its main parameter, to draw its wait/cost frontier. */
export const ANCHOR_SWEEPS: PolicySpec[] = [
  ...[5, 10, 20, 30, 40].map((high) => thresholdsPolicy(high)),
  ...[1, 2, 4, 8, 16].map(targetTrackingPolicy),
  ...[1, 1.5, 2, 3, 4, 6].map((n) => kedaPolicy(n)),
];
