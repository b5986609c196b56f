import type { Controller, ControlView } from "./controllers.js";
import type { SimulatedJob } from "./jobs.js";
import { createRandom } from "./random.js";
import { percentile } from "./stats.js";
import { createWarmPool, type WarmPool, type WarmPoolSettings } from "./warm-pool.js";

/** The system every policy runs on: the same for all, so only the policy differs. */
export interface SystemSettings {
  /** A new machine's launch until it takes jobs. */
  bootDelayMs: number;
  /** How often the autoscaler (or the alarm) runs. */
  controlIntervalMs: number;
  /** Concurrent jobs one machine takes. */
  jobsPerMachine: number;
  /**
   * Webhooks tasks per desired machine; a task runs one job at a time, so
   * tasks cap the jobs running at once. A property of the system: every
   * policy gets the same (the original ran 2, compared separately).
   */
  tasksPerMachine: number;
  min: number;
  max: number;
  /** Share of launches whose agent never registers the machine (a dead agent). */
  deadAgentRate: number;
  /** How long after launch the reconcile replaces an instance with no machine. */
  bootGraceMs: number;
  /** Simulation step; waits are measured to this resolution. */
  tickMs: number;
  /** Seeds which launches get a dead agent and which instance Auto Scaling picks. */
  seed: number;
  /** The group's warm pool (an infrastructure setting, like the boot delay); absent: none. */
  warmPool?: WarmPoolSettings | null;
}

export interface TimelinePoint {
  time: number;
  queued: number;
  desired: number;
  inService: number;
  /** Warm pool instances stopped and ready for a warm start (0 without a pool). */
  warm: number;
}

export interface SimulationResult {
  jobs: number;
  waitP50Ms: number;
  waitP95Ms: number;
  waitMaxMs: number;
  /** Running instance-hours: the group's, draining included, and the warm pool's initialisations. */
  machineHours: number;
  /** Warm pool instance-hours spent stopped (EBS volumes only, no compute). */
  stoppedHours: number;
  /** Machines that entered the group from the warm pool, and by a cold launch. */
  warmStarts: number;
  coldLaunches: number;
  scalingActions: number;
  /** Instances the reconcile replaced because their agent never registered. */
  replaced: number;
  /** Scale-ins that took a machine still running jobs (it drained them first). */
  busyScaleIns: number;
  timeline: TimelinePoint[];
}

interface Machine {
  /** When it entered the group (a cold launch or a warm start), billed from then. */
  launchedAt: number;
  readyAt: number;
  dead: boolean;
  running: number[];
  draining: boolean;
  /** Draining back into the warm pool (ReuseOnScaleIn) rather than towards termination. */
  toPool: boolean;
  /** When it left the group (terminated, or stopped in the warm pool). */
  terminatedAt: number | null;
}

/**
 * Replays jobs against one controller. Machines boot after the delay and
 * take `jobsPerMachine` jobs each from the least busy; a machine scaled in
 * stops taking jobs and terminates once its jobs end (the agent's drain). A
 * machine with a dead agent is in service for Auto Scaling but never takes a
 * job; only a reconciling controller replaces it, after the boot grace.
 * With a warm pool (warm-pool.ts), launches start a stopped instance when one
 * is ready and serve after the warm start; every start into the group draws
 * its own dead-agent chance (the agent starts afresh at each boot).
 */
export function simulate(
  jobs: SimulatedJob[],
  controller: Controller,
  settings: SystemSettings,
): SimulationResult {
  const tick = settings.tickMs;
  // Two streams: which launches get a dead agent depends on the launch's
  // order only, the same for every policy; the other is Auto Scaling's pick.
  const deadRandom = createRandom(settings.seed * 7919 + 17);
  const random = createRandom(settings.seed * 104729 + 3);
  const start = Math.floor((jobs[0]?.arrival ?? 0) / tick) * tick;
  const machines: Machine[] = [];
  const pool: WarmPool | null = settings.warmPool
    ? createWarmPool({
        settings: settings.warmPool,
        groupMax: settings.max,
        bootDelayMs: settings.bootDelayMs,
        start,
        desired: settings.min,
      })
    : null;
  let warmStarts = 0;
  let coldLaunches = 0;
  const enter = (time: number, readyAt: number) =>
    machines.push({
      launchedAt: time,
      readyAt,
      dead: deadRandom() < settings.deadAgentRate,
      running: [],
      draining: false,
      toPool: false,
      terminatedAt: null,
    });
  /** Auto Scaling adds an instance: from the warm pool when one is ready, else a cold launch. */
  const launch = (time: number) => {
    if (pool?.take(time)) {
      warmStarts += 1;
      enter(time, time + settings.warmPool!.warmStartMs);
    } else {
      coldLaunches += 1;
      enter(time, time + settings.bootDelayMs);
    }
  };
  /** A scaled-in machine with nothing left to run leaves the group: into the pool, or terminated. */
  const leave = (machine: Machine, time: number) => {
    machine.terminatedAt = time;
    if (machine.toPool) pool?.returned(time);
  };
  for (let i = 0; i < settings.min; i += 1) enter(start, start);
  let desired = settings.min;
  let scalingActions = 0;
  let replaced = 0;
  let busyScaleIns = 0;
  const queue: SimulatedJob[] = [];
  let queueHead = 0;
  let nextArrival = 0;
  const waits: number[] = [];
  const timeline: TimelinePoint[] = [];
  const history: Array<{ time: number; demand: number }> = [];
  let live: Machine[] = [...machines];

  // A policy that never serves the queue (a dead agent on its only machine)
  // would loop for ever: stop 6 hours after the last arrival, and count each
  // job still waiting as waiting until then.
  const stopAt = (jobs.at(-1)?.arrival ?? start) + 6 * 3_600_000;
  let time = start;
  for (; time <= stopAt; time += tick) {
    let changed = false;
    for (const machine of live) {
      if (machine.running.length > 0) machine.running = machine.running.filter((end) => end > time);
      if (machine.draining && machine.running.length === 0) {
        leave(machine, time);
        changed = true;
      }
    }
    if (changed) live = live.filter((m) => m.terminatedAt === null);
    pool?.advance(time);
    while (nextArrival < jobs.length && jobs[nextArrival]!.arrival <= time) {
      queue.push(jobs[nextArrival]!);
      nextArrival += 1;
    }
    dispatch(time);

    if ((time - start) % settings.controlIntervalMs === 0) {
      if (controller.reconciles) reconcile(time);
      const view = observe(time);
      history.push({ time, demand: view.queued + view.inFlight });
      const wanted = Math.min(settings.max, Math.max(settings.min, controller.decide(view)));
      if (wanted !== desired) {
        scalingActions += 1;
        resize(time, wanted);
      }
      pool?.resize(time, desired, controller.warmPoolPreparedCapacity?.(view, desired));
      timeline.push({
        time,
        queued: view.queued,
        desired,
        inService: view.inService,
        warm: view.warm,
      });
    }
    if (
      nextArrival === jobs.length &&
      queueHead === queue.length &&
      live.every((m) => m.running.length === 0)
    )
      break;
  }
  for (let i = queueHead; i < queue.length; i += 1) waits.push(time - queue[i]!.arrival);
  for (let i = nextArrival; i < jobs.length; i += 1) waits.push(0);
  const end = timeline.at(-1)?.time ?? start;
  const machineMs = machines.reduce(
    (sum, m) => sum + Math.max(0, (m.terminatedAt ?? end) - m.launchedAt),
    0,
  );
  const poolHours = pool?.hours(end) ?? { runningHours: 0, stoppedHours: 0 };
  waits.sort((a, b) => a - b);
  return {
    jobs: waits.length,
    waitP50Ms: percentile(waits, 0.5),
    waitP95Ms: percentile(waits, 0.95),
    waitMaxMs: waits.at(-1) ?? 0,
    machineHours: machineMs / 3_600_000 + poolHours.runningHours,
    stoppedHours: poolHours.stoppedHours,
    warmStarts,
    coldLaunches,
    scalingActions,
    replaced,
    busyScaleIns,
    timeline,
  };

  function dispatch(time: number) {
    if (queueHead === queue.length) return;
    const ready = live.filter((m) => !m.draining && !m.dead && m.readyAt <= time);
    let running = live.reduce((sum, m) => sum + m.running.length, 0);
    const consumers = desired * settings.tasksPerMachine;
    while (queueHead < queue.length && running < consumers) {
      // Like restyled.io, the least busy enabled machine.
      let target: Machine | undefined;
      for (const m of ready) {
        if (
          m.running.length < settings.jobsPerMachine &&
          (!target || m.running.length < target.running.length)
        ) {
          target = m;
        }
      }
      if (!target) return;
      const job = queue[queueHead]!;
      queueHead += 1;
      waits.push(Math.max(time - job.arrival, 0));
      target.running.push(time + job.duration);
      running += 1;
    }
  }

  function observe(time: number): ControlView {
    const counting = live.filter((m) => !m.draining);
    const inService = counting.filter((m) => m.readyAt <= time);
    const serving = inService.filter((m) => !m.dead);
    return {
      now: time,
      queued: queue.length - queueHead,
      inFlight: live.reduce((sum, m) => sum + m.running.length, 0),
      desired,
      min: settings.min,
      max: settings.max,
      serving: serving.length,
      inService: inService.length,
      // To the reconciling tool, an instance with no machine yet is still booting.
      coming:
        counting.length -
        inService.length +
        (controller.reconciles ? inService.length - serving.length : 0),
      draining: live.length - counting.length,
      busy: serving.filter((m) => m.running.length > 0).length,
      idle: serving.filter((m) => m.running.length === 0).length,
      warm: pool?.ready() ?? 0,
      history,
    };
  }

  /**
   * The reconcile: an instance in service past the boot grace with no machine
   * is marked Unhealthy, which terminates it (a health replacement is never
   * returned to the pool) and Auto Scaling launches its replacement.
   */
  function reconcile(time: number) {
    for (const machine of live) {
      if (machine.dead && !machine.draining && time - machine.launchedAt > settings.bootGraceMs) {
        machine.terminatedAt = time;
        replaced += 1;
        launch(time);
      }
    }
    live = machines.filter((m) => m.terminatedAt === null);
  }

  function resize(time: number, wanted: number) {
    const counting = live.filter((m) => !m.draining);
    for (let i = counting.length; i < wanted; i += 1) launch(time);
    const surplus = Math.max(0, counting.length - wanted);
    const victims =
      controller.scaleIn === "idle"
        ? pickIdle(counting, time, surplus)
        : pickLikeAutoScaling(counting, surplus);
    const reuse =
      pool !== null &&
      settings.warmPool!.reuseOnScaleIn &&
      (controller.scaleIn === "auto-scaling" || controller.idleScaleInBy !== "terminate");
    for (const machine of victims) {
      if (machine.running.length > 0) busyScaleIns += 1;
      machine.draining = true;
      if (reuse) {
        machine.toPool = true;
        pool.expectReturn();
      }
      if (machine.running.length === 0) leave(machine, time);
    }
    // This tool only lets go of machines it could choose; Auto Scaling always takes the surplus.
    desired = controller.scaleIn === "idle" ? wanted + (surplus - victims.length) : wanted;
    live = machines.filter((m) => m.terminatedAt === null);
  }

  /** This tool: booting ones first, then idle ones, never a busy one (the surplus stays instead). */
  function pickIdle(counting: Machine[], time: number, count: number): Machine[] {
    return counting
      .filter((m) => m.readyAt > time || m.running.length === 0)
      .sort(
        (a, b) =>
          Number(a.readyAt <= time) - Number(b.readyAt <= time) || a.launchedAt - b.launchedAt,
      )
      .slice(0, count);
  }

  /** Auto Scaling's default termination policy, as far as it matters here: any instance, busy or not. */
  function pickLikeAutoScaling(counting: Machine[], count: number): Machine[] {
    const pool = [...counting];
    const picked: Machine[] = [];
    for (let i = 0; i < count && pool.length > 0; i += 1) {
      picked.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
    }
    return picked;
  }
}
