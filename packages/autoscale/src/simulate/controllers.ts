import { EMPTY_PEAKS, type HourlyPeaks, peakWithin, recordPeak } from "../hourly-peaks.js";
import {
  decideQueuePolicy,
  machinesFor,
  type PolicyMemory,
  type PolicySettings,
} from "../policy.js";
import { decideWarmPoolTarget, type WarmPoolSizing } from "../warm-pool-target.js";

/** What a controller sees each control step, like the live tool and the anchors would. */
export interface ControlView {
  now: number;
  queued: number;
  inFlight: number;
  desired: number;
  min: number;
  max: number;
  /** Machines in service taking jobs (dead agents excluded: they take none). */
  serving: number;
  /** Instances in service as Auto Scaling counts them (dead agents included). */
  inService: number;
  /** Launches under way (and replacements). */
  coming: number;
  draining: number;
  busy: number;
  idle: number;
  /** Warm pool instances stopped and ready for a warm start (0 without a pool). */
  warm: number;
  /** Demand (queued + running) observed at earlier control steps, oldest first, one per step. */
  history: ReadonlyArray<{ time: number; demand: number }>;
}

/** A scaling policy driven once per control interval. */
export interface Controller {
  /** How this policy's scale-in picks the instance: an idle one it chose, or Auto Scaling's pick. */
  readonly scaleIn: "idle" | "auto-scaling";
  /**
   * How an idle-choice scale-in reaches Auto Scaling: "terminate" is
   * TerminateInstanceInAutoScalingGroup on the instance (which terminates it:
   * the API reference says a terminated instance cannot be started again, so
   * it never goes back to a warm pool); "protect" protects every other
   * instance from scale-in and lowers the desired count, so that Auto
   * Scaling's own scale-in takes the chosen one and, with ReuseOnScaleIn,
   * returns it to the warm pool. Auto Scaling's pick always reuses. The live
   * tool terminates: restyled.io needs machine names unique over time, so the
   * machines stack turns reuse off; "protect" measures what reuse would buy.
   */
  readonly idleScaleInBy?: "terminate" | "protect";
  /** Whether it replaces instances whose agent never registered (the reconcile). */
  readonly reconciles: boolean;
  decide(view: ControlView): number;
  /**
   * The warm pool's MaxGroupPreparedCapacity after this step, for a
   * controller that sets it (PutWarmPool); absent or null: AWS's default
   * (the group's MaxSize).
   */
  warmPoolPreparedCapacity?(view: ControlView, desired: number): number | null;
}

/** This tool: the boot-aware queue policy, idle-machine scale-in, the reconcile, and optionally a daily forecast. */
export function queueController(
  settings: PolicySettings & {
    forecast?: ForecastSettings;
    idleScaleInBy?: "terminate" | "protect";
    /** This tool sizes the warm pool each step (warm-pool-target.ts); absent: AWS's default pool. */
    warmPoolSizing?: WarmPoolSizing;
  },
): Controller {
  let memory: PolicyMemory = { lowSince: null };
  let peaks: HourlyPeaks = EMPTY_PEAKS;
  const sizing = settings.warmPoolSizing;
  return {
    scaleIn: "idle",
    idleScaleInBy: settings.idleScaleInBy ?? "terminate",
    reconciles: true,
    ...(sizing
      ? {
          warmPoolPreparedCapacity(view: ControlView, desired: number) {
            peaks = recordPeak(peaks, view.now, desired, sizing.windowMs);
            return decideWarmPoolTarget({
              desired,
              max: view.max,
              peak: peakWithin(peaks, view.now, sizing.windowMs),
              sizing,
            }).maxPreparedCapacity;
          },
        }
      : {}),
    decide(view) {
      const decision = decideQueuePolicy(
        {
          now: view.now,
          queued: view.queued,
          inFlight: view.inFlight,
          busyMachines: view.busy,
          group: {
            min: view.min,
            max: view.max,
            desired: view.desired,
            inService: view.serving,
            pending: view.coming,
            terminating: view.draining,
            idle: view.idle,
            warm: view.warm,
          },
        },
        settings,
        memory,
      );
      memory = decision.memory;
      if (!settings.forecast) return decision.desired;
      // The forecast is a floor: yesterday's demand around this time, so a
      // recurring surge finds machines booted.
      const floor = Math.min(view.max, forecastFloor(view, settings, settings.forecast));
      return Math.max(decision.desired, floor);
    },
  };
}

export interface ForecastSettings {
  /** How far ahead to look in yesterday's history: a boot plus a control interval or so. */
  lookaheadMs: number;
  /** Which quantile of yesterday's demand in that window to provision for (0.5 = median). */
  quantile: number;
  periodMs: number;
}

function forecastFloor(
  view: ControlView,
  settings: PolicySettings,
  forecast: ForecastSettings,
): number {
  const from = view.now - forecast.periodMs;
  const to = from + forecast.lookaheadMs;
  const window = view.history.filter((h) => h.time >= from && h.time <= to).map((h) => h.demand);
  if (window.length === 0) return 0;
  window.sort((a, b) => a - b);
  const value = window[Math.min(window.length - 1, Math.floor(forecast.quantile * window.length))]!;
  // Machines to run that demand at once when it comes: booted ahead, they need no boot allowance.
  return machinesFor(value, settings.jobsPerMachine);
}

/**
 * The original (2020) tool's thresholds: queue depth above `high` sets 4
 * machines, below `low` 1; between, nothing changes. It saw the queue only.
 */
export function thresholdsController(options: {
  high: number;
  low: number;
  machines: number;
}): Controller {
  return {
    scaleIn: "auto-scaling",
    reconciles: false,
    decide(view) {
      if (view.queued > options.high) return Math.min(view.max, options.machines);
      if (view.queued < options.low) return Math.max(view.min, 1);
      return view.desired;
    },
  };
}

/**
 * AWS target tracking on backlog per instance (queued jobs / InService
 * instances, the pattern AWS documents for queue workers), as its documented
 * behaviour: the high alarm needs 3 one-minute datapoints above the target and
 * scales out proportionally (new capacity = ceil(backlog / target)), counting
 * instances still in their warmup as capacity so it does not add them twice;
 * the low alarm needs 15 datapoints under it, and scale-in is gradual: one
 * instance at a time, at most once per cooldown (300 s). Auto Scaling picks
 * the instance that goes.
 */
export function targetTrackingController(options: {
  target: number;
  outDatapoints?: number;
  inDatapoints?: number;
  scaleInCooldownMs?: number;
}): Controller {
  const out = options.outDatapoints ?? 3;
  const inPoints = options.inDatapoints ?? 15;
  const cooldown = options.scaleInCooldownMs ?? 300_000;
  let above = 0;
  let below = 0;
  let lastScaleIn = Number.NEGATIVE_INFINITY;
  return {
    scaleIn: "auto-scaling",
    reconciles: false,
    decide(view) {
      const backlog = view.queued;
      const perInstance = backlog / Math.max(1, view.inService);
      above = perInstance > options.target ? above + 1 : 0;
      below = perInstance < options.target ? below + 1 : 0;
      const wanted = Math.min(view.max, Math.max(view.min, Math.ceil(backlog / options.target)));
      if (above >= out && wanted > view.desired) return wanted;
      if (below >= inPoints && wanted < view.desired && view.now - lastScaleIn >= cooldown) {
        lastScaleIn = view.now;
        return view.desired - 1;
      }
      return view.desired;
    },
  };
}

/**
 * KEDA / Kubernetes HPA style: desired = ceil((queued + running) / per
 * machine), scaled up at once, scaled down to the highest recommendation of
 * the stabilization window (HPA's default 300 s). Auto Scaling picks the instance that goes.
 */
export function kedaController(options: { perMachine: number; windowMs?: number }): Controller {
  const windowMs = options.windowMs ?? 300_000;
  const recommendations: Array<{ time: number; value: number }> = [];
  return {
    scaleIn: "auto-scaling",
    reconciles: false,
    decide(view) {
      const value = Math.min(
        view.max,
        Math.max(view.min, Math.ceil((view.queued + view.inFlight) / options.perMachine)),
      );
      recommendations.push({ time: view.now, value });
      while (recommendations.length > 0 && recommendations[0]!.time < view.now - windowMs) {
        recommendations.shift();
      }
      if (value >= view.desired) return value;
      return Math.max(...recommendations.map((r) => r.value));
    },
  };
}
