import { type AutoScalingClient, PutWarmPoolCommand } from "@aws-sdk/client-auto-scaling";
import { formatPeaks, type HourlyPeaks, peakWithin, recordPeak } from "./hourly-peaks.js";
import type { WarmPoolState } from "./read-warm-pool.js";
import { decideWarmPoolTarget, type WarmPoolSizing } from "./warm-pool-target.js";

/** The decision record's account of the warm pool's size this run. */
export interface WarmPoolSizeRecord {
  /** The highest desired count in the window; null while the history does not cover it. */
  peak: number | null;
  /** MaxGroupPreparedCapacity as read; null: unset (AWS's default, MaxSize). */
  current: number | null;
  /** MaxGroupPreparedCapacity wanted; null: AWS's default. */
  target: number | null;
  /** Instances the pool then holds at this run's desired count (before its MinSize). */
  poolSize: number;
  reason: string;
  /** Whether PutWarmPool is called (the target differs from what is set). */
  change: boolean;
  /** Whether it was written; false on a dry run, when not needed, or on failure. */
  applied: boolean;
  error?: { name: string; message: string };
}

export interface WarmPoolSizePlan {
  record: WarmPoolSizeRecord;
  /** The desired-peaks history with this run's desired count recorded. */
  history: HourlyPeaks;
  historyTag: string;
}

/**
 * Records this run's desired count in the hourly peaks and decides the pool's
 * MaxGroupPreparedCapacity (warm-pool-target.ts). A pool being deleted is left
 * alone.
 */
export function planWarmPoolSize(options: {
  pool: WarmPoolState;
  groupMax: number;
  desired: number;
  history: HourlyPeaks;
  now: number;
  sizing: WarmPoolSizing;
}): WarmPoolSizePlan {
  const { pool, sizing } = options;
  const history = recordPeak(options.history, options.now, options.desired, sizing.windowMs);
  const peak = peakWithin(history, options.now, sizing.windowMs);
  const target = decideWarmPoolTarget({
    desired: options.desired,
    max: options.groupMax,
    peak,
    sizing,
  });
  const change = !pool.deleting && target.maxPreparedCapacity !== pool.maxPreparedCapacity;
  return {
    history,
    historyTag: formatPeaks(history),
    record: {
      peak,
      current: pool.maxPreparedCapacity,
      target: target.maxPreparedCapacity,
      poolSize: target.poolSize,
      reason: pool.deleting
        ? "the warm pool is being deleted (PendingDelete); leaving it alone"
        : `${target.reason}${change ? "" : " (already set)"}`,
      change,
      applied: false,
    },
  };
}

/**
 * PutWarmPool with the new MaxGroupPreparedCapacity (-1 removes a value set
 * before, back to AWS's default: API reference, PutWarmPool). The pool's other
 * settings are sent as read, so this call changes the size and nothing else.
 * Auto Scaling then refills the pool (new instances initialise, then stop) or
 * terminates its surplus.
 */
export async function putWarmPoolCapacity(
  client: AutoScalingClient,
  groupName: string,
  pool: WarmPoolState,
  maxPreparedCapacity: number | null,
): Promise<void> {
  await client.send(
    new PutWarmPoolCommand({
      AutoScalingGroupName: groupName,
      MaxGroupPreparedCapacity: maxPreparedCapacity ?? -1,
      MinSize: pool.minSize,
      PoolState: pool.poolState,
      InstanceReusePolicy: { ReuseOnScaleIn: pool.reuseOnScaleIn },
    }),
  );
}
