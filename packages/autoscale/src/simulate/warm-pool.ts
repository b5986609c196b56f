/**
 * An EC2 Auto Scaling warm pool with `PoolState: Stopped`, as the AWS
 * documentation describes it (user guide "Warm pools for Amazon EC2 Auto
 * Scaling"; API reference PutWarmPool, WarmPoolConfiguration):
 * - its size is max(MinSize, MaxGroupPreparedCapacity - desired), and
 *   MaxGroupPreparedCapacity defaults to the group's MaxSize;
 * - a scale-out draws on the pool first (a warm start), and launches cold
 *   only beyond it;
 * - the pool refills with new instances that run their initialisation (the
 *   cold boot, billed as running) and then stop;
 * - stopped instances cost their EBS volumes only, not compute;
 * - with `ReuseOnScaleIn`, a scaled-in instance goes back to the pool instead
 *   of terminating (here: after its drain, during which it is still running).
 * One simplification: only an instance that has finished warming (Warmed:Stopped)
 * is drawn; one still initialising stays in the pool and the group launches cold.
 */
export interface WarmPoolSettings {
  /** The pool's MinSize (AWS default 0). */
  minSize: number;
  /** MaxGroupPreparedCapacity; null means the group's MaxSize (AWS's default). */
  maxPreparedCapacity: number | null;
  /** A stopped, initialised instance's start until its machine takes jobs. */
  warmStartMs: number;
  /** InstanceReusePolicy.ReuseOnScaleIn. */
  reuseOnScaleIn: boolean;
}

/**
 * The machines stack's pool: MinSize 0, the default prepared capacity, a
 * 1-minute warm start, and no reuse on scale-in (a machine started again would
 * register its name a second time; restyled.io needs names unique over time).
 */
export const DEFAULT_WARM_POOL: WarmPoolSettings = {
  minSize: 0,
  maxPreparedCapacity: null,
  warmStartMs: 60_000,
  reuseOnScaleIn: false,
};

interface PoolInstance {
  launchedAt: number;
  /** When its initialisation ends and it stops; null once stopped. */
  warmUntil: number | null;
  stoppedSince: number | null;
}

export interface WarmPool {
  /** Instances stopped and ready for a warm start (Warmed:Stopped). */
  ready(): number;
  /** Instances in the pool in any state, and those draining back into it. */
  size(): number;
  /** Starts one stopped instance for the group; false when none is ready. */
  take(time: number): boolean;
  /** An instance scaled in with reuse: it counts as the pool's while it drains. */
  expectReturn(): void;
  /** The drained instance stops in the pool. */
  returned(time: number): void;
  /** Stops the instances whose initialisation ended. */
  advance(time: number): void;
  /**
   * Refills to the pool's size for this desired count, or lets the surplus go
   * (initialising ones first). `maxPreparedCapacity`: what an autoscaler set
   * this step (PutWarmPool); absent or null: the pool's own setting.
   */
  resize(time: number, desired: number, maxPreparedCapacity?: number | null): void;
  /** Running (initialising) and stopped hours so far, up to `end`. */
  hours(end: number): { runningHours: number; stoppedHours: number };
}

export function warmPoolSize(settings: WarmPoolSettings, groupMax: number, desired: number) {
  return Math.max(settings.minSize, (settings.maxPreparedCapacity ?? groupMax) - desired);
}

/** A pool that starts full and stopped (the steady state before the trace begins). */
export function createWarmPool(options: {
  settings: WarmPoolSettings;
  groupMax: number;
  bootDelayMs: number;
  start: number;
  desired: number;
}): WarmPool {
  const { settings, groupMax, bootDelayMs } = options;
  const instances: PoolInstance[] = [];
  let returning = 0;
  let runningMs = 0;
  let stoppedMs = 0;
  for (let i = 0; i < warmPoolSize(settings, groupMax, options.desired); i += 1) {
    instances.push({ launchedAt: options.start, warmUntil: null, stoppedSince: options.start });
  }
  const leave = (instance: PoolInstance, time: number) => {
    if (instance.stoppedSince !== null) stoppedMs += time - instance.stoppedSince;
    else runningMs += time - instance.launchedAt;
    instances.splice(instances.indexOf(instance), 1);
  };
  return {
    ready: () => instances.filter((i) => i.stoppedSince !== null).length,
    size: () => instances.length + returning,
    take(time) {
      // The longest stopped first: any would do, the choice only keeps runs reproducible.
      const instance = instances.find((i) => i.stoppedSince !== null);
      if (!instance) return false;
      leave(instance, time);
      return true;
    },
    expectReturn() {
      returning += 1;
    },
    returned(time) {
      returning = Math.max(0, returning - 1);
      instances.push({ launchedAt: time, warmUntil: null, stoppedSince: time });
    },
    advance(time) {
      for (const instance of instances) {
        if (instance.warmUntil !== null && instance.warmUntil <= time) {
          runningMs += time - instance.launchedAt;
          instance.warmUntil = null;
          instance.stoppedSince = time;
        }
      }
    },
    resize(time, desired, maxPreparedCapacity) {
      const target = warmPoolSize(
        maxPreparedCapacity === undefined || maxPreparedCapacity === null
          ? settings
          : { ...settings, maxPreparedCapacity },
        groupMax,
        desired,
      );
      for (let n = instances.length + returning; n < target; n += 1) {
        instances.push({ launchedAt: time, warmUntil: time + bootDelayMs, stoppedSince: null });
      }
      let surplus = instances.length + returning - target;
      const order = [
        ...instances.filter((i) => i.stoppedSince === null),
        ...instances.filter((i) => i.stoppedSince !== null),
      ];
      for (const instance of order) {
        if (surplus <= 0) break;
        leave(instance, time);
        surplus -= 1;
      }
    },
    hours(end) {
      let running = runningMs;
      let stopped = stoppedMs;
      for (const instance of instances) {
        if (instance.stoppedSince !== null) stopped += Math.max(0, end - instance.stoppedSince);
        else running += Math.max(0, end - instance.launchedAt);
      }
      return { runningHours: running / 3_600_000, stoppedHours: stopped / 3_600_000 };
    },
  };
}
