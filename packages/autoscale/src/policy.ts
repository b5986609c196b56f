import { formatDuration } from "@restyled/core/duration";

/**
 * The machines group as capacity (see reconcile/plan.ts): what serves jobs,
 * what is on its way, what is going. Draining and booting instances are not
 * capacity; the group's desired count is what Auto Scaling works towards.
 */
export interface GroupState {
  min: number;
  max: number;
  desired: number;
  /** Instances in service whose machine takes jobs. */
  inService: number;
  /** Capacity on its way: launches, instances still inside the boot grace, replacements. */
  pending: number;
  /** Instances going away (Terminating*, draining in a lifecycle hook); never capacity. */
  terminating: number;
  /** Serving machines with no job, which a scale-in may take; undefined when restyled.io is not read. */
  idle?: number;
  /**
   * Warm pool instances stopped and ready to start (DescribeWarmPool's
   * Warmed:Stopped, Warmed:Hibernated, Warmed:Running); 0 or undefined without a pool.
   */
  warm?: number;
}

/** What one run of the autoscaler sees. */
export interface Observation {
  /** Epoch milliseconds. */
  now: number;
  /** Jobs waiting in the Redis queues (sum of LLEN). */
  queued: number;
  /** Jobs running on machines (0 when the admin API is not configured). */
  inFlight: number;
  /** Machines that run at least one job right now. */
  busyMachines: number;
  group: GroupState;
}

export interface PolicySettings {
  /** Concurrent jobs one machine takes (restyled.io's default is 3). */
  jobsPerMachine: number;
  /** How long demand must stay low before one machine is taken away. */
  scaleInStabilizationMs: number;
  /**
   * How long a new machine takes from launch until it takes jobs. Queued jobs
   * that the machines already there start within it do not call for a new
   * machine; 0 sizes for every job at once (plain ceil(demand / jobs per machine)).
   */
  bootDelayMs: number;
  /** A typical job's duration, to estimate how many queued jobs a machine starts during a boot. */
  expectedJobDurationMs: number;
  /**
   * How long a warm pool instance takes from its start until it takes jobs.
   * While the pool has instances ready, the next launch is a warm start, so
   * this replaces the boot delay in the sizing. Undefined: no warm pool assumed.
   */
  warmStartMs?: number;
  /**
   * The scale-in window while the warm pool has instances ready: an idle
   * machine let go then comes back in a warm start, not a boot, so waiting
   * a boot's length before letting it go buys nothing. Default: the warm start.
   */
  warmScaleInStabilizationMs?: number;
}

/**
 * The documented defaults: 3 jobs per machine, a 3-minute window, a 3-minute
 * boot, 1-minute jobs. The window is short because a scale-in takes an idle
 * machine of this tool's choosing (scale-in.ts): going too soon costs one
 * boot later, never a drained job; the benchmark measured 10m against 3m.
 */
export const DEFAULT_POLICY_SETTINGS: PolicySettings = {
  jobsPerMachine: 3,
  scaleInStabilizationMs: 3 * 60_000,
  bootDelayMs: 3 * 60_000,
  expectedJobDurationMs: 60_000,
};

/** What must survive between runs, kept outside the process (see machines-group.ts). */
export interface PolicyMemory {
  /** Epoch milliseconds since which demand has needed fewer machines than the group has. */
  lowSince: number | null;
}

export type ScalingAction = "scale-out" | "scale-in" | "none";

export interface Decision {
  desired: number;
  action: ScalingAction;
  reason: string;
  memory: PolicyMemory;
}

/** Machines needed for the demand, before the group's limits. */
export function machinesFor(demand: number, jobsPerMachine: number): number {
  return Math.ceil(Math.max(0, demand) / jobsPerMachine);
}

/**
 * The jobs one machine gets going within a boot delay: the ones it runs at
 * once, plus the ones it starts as its jobs finish (boot delay / job duration
 * per slot). With no boot delay, just the jobs per machine.
 */
export function jobsWithinBoot(settings: PolicySettings): number {
  return settings.jobsPerMachine * (1 + settings.bootDelayMs / settings.expectedJobDurationMs);
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * The queue-driven policy: desired = ceil(demand / jobs per machine) within the
 * group's limits, where queued jobs that the machines in service start before
 * a new machine could finish booting do not count (a machine is worth
 * `jobsWithinBoot` jobs). Scale out at once, by enough machines to run the
 * rest at once when they boot; scale in one machine at a time, only after
 * demand fitted fewer machines for the whole stabilization window, and never
 * below the machines still running jobs. Capacity on its way counts
 * against a scale-out, so a slow boot is not answered with more instances,
 * and draining instances do not hold anything up.
 */
export function decideQueuePolicy(
  observation: Observation,
  settings: PolicySettings,
  memory: PolicyMemory,
): Decision {
  const { group, now } = observation;
  const { jobsPerMachine } = settings;
  const demand = observation.queued + observation.inFlight;
  // The next launch starts from the warm pool when an instance is ready there.
  const warm = group.warm ?? 0;
  const warmStart = warm > 0 && settings.warmStartMs !== undefined;
  const bootMs = warmStart ? (settings.warmStartMs as number) : settings.bootDelayMs;
  const bootText = warmStart
    ? `${formatDuration(bootMs)} warm start (${warm} ready in the warm pool)`
    : `${formatDuration(bootMs)} boot`;
  const perMachine = jobsWithinBoot({ ...settings, bootDelayMs: bootMs });
  // Machines that get every job going within a cold boot (for scaling in, and
  // whether to scale out at all). Cold on purpose: a warm pool makes a machine
  // come back sooner, which is no reason to keep more of them.
  const coldPerMachine = jobsWithinBoot(settings);
  const needed = machinesFor(demand, coldPerMachine);
  const windowMs = warmStart
    ? (settings.warmScaleInStabilizationMs ?? (settings.warmStartMs as number))
    : settings.scaleInStabilizationMs;
  const wanted = clamp(needed, group.min, group.max);
  const current = group.desired;
  const booting = bootMs > 0;
  const perMachineText =
    settings.bootDelayMs > 0
      ? `${round(coldPerMachine)} jobs each within a ${formatDuration(settings.bootDelayMs)} boot (${jobsPerMachine} at once, ${round(coldPerMachine - jobsPerMachine)} more as ${formatDuration(settings.expectedJobDurationMs)} jobs end)`
      : `${jobsPerMachine} jobs each`;
  const demandText = `demand ${demand} (${observation.queued} queued + ${observation.inFlight} running) needs ${needed} machine(s) at ${perMachineText}`;
  const hold = (reason: string, lowSince = memory.lowSince): Decision => ({
    desired: current,
    action: "none",
    reason,
    memory: { lowSince },
  });

  // Scale out on true capacity: what serves now gets `perMachine` jobs going
  // within a boot, what is on its way `jobsPerMachine` when it arrives; the
  // rest needs new machines. Draining instances count for nothing, so a
  // scale-out happens while others drain.
  const serving = group.inService;
  const coming = group.pending;
  const beyond = demand - serving * perMachine - coming * jobsPerMachine;
  const more = beyond > 0 ? machinesFor(beyond, jobsPerMachine) : 0;
  const target = clamp(serving + coming + more, group.min, group.max);
  if (more > 0 && target > current) {
    const capacityText = `${serving} serving${coming > 0 ? ` + ${coming} on the way` : ""}${group.terminating > 0 ? ` (${group.terminating} draining, not counted)` : ""}`;
    const sizing = booting
      ? `demand ${demand} (${observation.queued} queued + ${observation.inFlight} running) is ${round(beyond)} more than ${capacityText} get going within a ${bootText} (${round(perMachine)} jobs each: ${jobsPerMachine} at once, ${round(perMachine - jobsPerMachine)} more as ${formatDuration(settings.expectedJobDurationMs)} jobs end)`
      : `demand ${demand} (${observation.queued} queued + ${observation.inFlight} running) is ${round(beyond)} more than ${capacityText} run at once`;
    return {
      desired: target,
      action: "scale-out",
      reason: `${sizing}; those need ${more} more at ${jobsPerMachine} jobs each; scaling out from ${current} to ${target}${target < serving + coming + more ? ` (group max ${group.max})` : ""}`,
      memory: { lowSince: null },
    };
  }
  if (wanted > current) {
    return hold(
      `${demandText}; ${current} desired with ${group.pending} on the way is enough`,
      null,
    );
  }
  if (wanted === current) {
    return hold(`${demandText}; ${current} is right`, null);
  }

  const lowSince = memory.lowSince ?? now;
  const lowFor = now - lowSince;
  if (lowFor < windowMs) {
    return hold(
      `${demandText}, fewer than ${current}; low for ${formatDuration(lowFor)}, scaling in after ${formatDuration(windowMs)}${warmStart ? " (the warm pool has instances ready)" : ""}`,
      lowSince,
    );
  }
  const floor = Math.max(wanted, observation.busyMachines, group.min);
  if (floor >= current) {
    return hold(
      `${demandText}, but ${observation.busyMachines} machine(s) still run jobs; keeping ${current}`,
      lowSince,
    );
  }
  if (group.idle === 0) {
    return hold(`${demandText}, but no serving machine is idle; keeping ${current}`, lowSince);
  }
  const desired = current - 1;
  return {
    desired,
    action: "scale-in",
    reason: `${demandText} for ${formatDuration(lowFor)}; scaling in one step from ${current} to ${desired}`,
    memory: { lowSince },
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
