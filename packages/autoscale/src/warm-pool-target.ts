import { formatDuration } from "@restyled/core/duration";

/**
 * How the autoscaler sizes the machines group's warm pool. AWS's default
 * (MaxGroupPreparedCapacity unset) keeps MaxSize - desired instances stopped
 * all the time: on a quiet day up to 11 disks paid for nothing. Instead the
 * group's prepared capacity (group + pool) follows the highest desired count
 * of the last `windowMs` (a day carries the daily pattern) plus `headroom`:
 * every machine of yesterday's peak comes back in a warm start, and a surge
 * beyond it gets `headroom` more before launches go cold.
 */
export interface WarmPoolSizing {
  /** How far back the peak is taken. */
  windowMs: number;
  /** Instances kept ready beyond the window's peak. */
  headroom: number;
}

export const DEFAULT_WARM_POOL_SIZING: WarmPoolSizing = { windowMs: 24 * 3_600_000, headroom: 2 };

export interface WarmPoolTarget {
  /**
   * PutWarmPool's MaxGroupPreparedCapacity; null: AWS's default (the group's
   * MaxSize), kept until the history covers the whole window.
   */
  maxPreparedCapacity: number | null;
  /** The pool's size this implies at this desired count, before the pool's own MinSize. */
  poolSize: number;
  reason: string;
}

/**
 * MaxGroupPreparedCapacity = min(max, max(peak, desired) + headroom), so the
 * pool holds max(MinSize, that - desired) (API reference, PutWarmPool). It is
 * a group-level number: a scale-out takes from the pool without a refill (the
 * pool's size follows the group's), a scale-in (a termination: no reuse, see
 * the machines stack) makes room for one, and otherwise the pool only grows
 * (cold refills) when the peak grows and shrinks (terminations) when a day-old
 * peak leaves the window. With a history shorter than the
 * window the day's peak is not known yet: AWS's default stays.
 */
export function decideWarmPoolTarget(input: {
  desired: number;
  max: number;
  /** The highest desired count within the window; null while the history does not cover it. */
  peak: number | null;
  sizing: WarmPoolSizing;
}): WarmPoolTarget {
  const { desired, max, peak, sizing } = input;
  const window = formatDuration(sizing.windowMs);
  if (peak === null) {
    return {
      maxPreparedCapacity: null,
      poolSize: Math.max(0, max - desired),
      reason: `no ${window} of history yet: AWS's default pool (MaxSize ${max} - desired ${desired})`,
    };
  }
  const wanted = Math.max(peak, desired) + sizing.headroom;
  const prepared = Math.min(max, wanted);
  return {
    maxPreparedCapacity: prepared,
    poolSize: Math.max(0, prepared - desired),
    reason:
      `the group's peak in the last ${window} was ${peak}, ${desired} desired now: ` +
      `prepared capacity ${Math.max(peak, desired)} + ${sizing.headroom} headroom` +
      `${wanted > max ? `, capped at max ${max}` : ""} = ${prepared}, ` +
      `so ${Math.max(0, prepared - desired)} kept warm`,
  };
}
