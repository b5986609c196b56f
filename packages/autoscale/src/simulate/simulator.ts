import {
  decideQueuePolicy,
  decideThresholdsPolicy,
  type Observation,
  ORIGINAL_THRESHOLDS,
  type PolicyMemory,
} from "../policy.js";
import type { SimulatedJob } from "./jobs.js";
import { percentile } from "./stats.js";

export type PolicyName = "queue" | "thresholds";

export interface SimulationSettings {
  /** How long a new machine takes from launch until it takes jobs. */
  bootDelayMs: number;
  /** How often the autoscaler runs (the Lambda's schedule). */
  controlIntervalMs: number;
  jobsPerMachine: number;
  min: number;
  max: number;
  scaleInStabilizationMs: number;
  /** What the queue policy assumes of a job's duration (it is told the boot delay above). */
  expectedJobDurationMs: number;
  /**
   * Webhooks tasks per desired machine: each task runs one job at a time, so
   * tasks cap the jobs running at once. The original ran 2 per machine (2 with
   * 1 machine, 8 with 4); this tool runs one per job slot.
   */
  tasksPerMachine: Record<PolicyName, number>;
  /** Simulation step; waits are measured to this resolution. */
  tickMs?: number;
}

export interface TimelinePoint {
  time: number;
  queued: number;
  desired: number;
  inService: number;
}

export interface SimulationResult {
  policy: PolicyName;
  jobs: number;
  waitP50Ms: number;
  waitP95Ms: number;
  waitMaxMs: number;
  machineHours: number;
  scalingActions: number;
  timeline: TimelinePoint[];
}

interface Machine {
  launchedAt: number;
  readyAt: number;
  /** End times of the jobs it runs. */
  running: number[];
  draining: boolean;
  terminatedAt: number | null;
}

/**
 * Replays jobs against a policy: machines boot after a delay, take
 * `jobsPerMachine` jobs each, and when scaled in stop taking jobs and finish
 * what they run before terminating (what the agent's lifecycle hook does).
 * Both policies get the same machine model and the same schedule.
 */
export function simulate(
  jobs: SimulatedJob[],
  policy: PolicyName,
  settings: SimulationSettings,
): SimulationResult {
  const tick = settings.tickMs ?? 1_000;
  const start = Math.floor((jobs[0]?.arrival ?? 0) / tick) * tick;
  const machines: Machine[] = Array.from({ length: settings.min }, () => ({
    launchedAt: start,
    readyAt: start,
    running: [],
    draining: false,
    terminatedAt: null,
  }));
  let desired = settings.min;
  let memory: PolicyMemory = { lowSince: null };
  let scalingActions = 0;
  const queue: SimulatedJob[] = [];
  let queueHead = 0;
  let nextArrival = 0;
  const waits: number[] = [];
  const timeline: TimelinePoint[] = [];
  const live = () => machines.filter((m) => m.terminatedAt === null);

  for (let time = start; ; time += tick) {
    for (const machine of live()) {
      machine.running = machine.running.filter((end) => end > time);
      if (machine.draining && machine.running.length === 0) machine.terminatedAt = time;
    }
    while (nextArrival < jobs.length && jobs[nextArrival]!.arrival <= time) {
      queue.push(jobs[nextArrival]!);
      nextArrival += 1;
    }
    dispatch(time);

    if ((time - start) % settings.controlIntervalMs === 0) {
      const observation = observe(time);
      const decision =
        policy === "queue"
          ? decideQueuePolicy(observation, settings, memory)
          : decideThresholdsPolicy(observation, ORIGINAL_THRESHOLDS);
      memory = decision.memory;
      if (decision.desired !== desired) {
        scalingActions += 1;
        desired = decision.desired;
        resize(time);
      }
      timeline.push({
        time,
        queued: observation.queued,
        desired,
        inService: observation.group.inService,
      });
    }
    const idle = queueHead === queue.length && live().every((m) => m.running.length === 0);
    if (nextArrival === jobs.length && idle) break;
  }
  const end = timeline.at(-1)?.time ?? start;
  const machineMs = machines.reduce((sum, m) => sum + ((m.terminatedAt ?? end) - m.launchedAt), 0);
  waits.sort((a, b) => a - b);
  return {
    policy,
    jobs: waits.length,
    waitP50Ms: percentile(waits, 0.5),
    waitP95Ms: percentile(waits, 0.95),
    waitMaxMs: waits.at(-1) ?? 0,
    machineHours: machineMs / 3_600_000,
    scalingActions,
    timeline,
  };

  function dispatch(time: number) {
    const ready = live().filter((m) => !m.draining && m.readyAt <= time);
    let running = live().reduce((sum, m) => sum + m.running.length, 0);
    const consumers = desired * settings.tasksPerMachine[policy];
    while (queueHead < queue.length && running < consumers) {
      // Like restyled.io, send the job to the least busy enabled machine.
      let target: Machine | undefined;
      for (const m of ready) {
        if (
          m.running.length < settings.jobsPerMachine &&
          (!target || m.running.length < target.running.length)
        )
          target = m;
      }
      if (!target) return;
      const job = queue[queueHead]!;
      queueHead += 1;
      waits.push(Math.max(time - job.arrival, 0));
      target.running.push(time + job.duration);
      running += 1;
    }
  }

  function observe(time: number): Observation {
    const alive = live();
    const running = alive.reduce((sum, m) => sum + m.running.length, 0);
    const counting = alive.filter((m) => !m.draining);
    return {
      now: time,
      queued: queue.length - queueHead,
      inFlight: running,
      busyMachines: alive.filter((m) => m.running.length > 0).length,
      group: {
        min: settings.min,
        max: settings.max,
        desired,
        inService: counting.filter((m) => m.readyAt <= time).length,
        pending: counting.filter((m) => m.readyAt > time).length,
        terminating: alive.filter((m) => m.draining).length,
      },
    };
  }

  function resize(time: number) {
    const counting = live().filter((m) => !m.draining);
    for (let i = counting.length; i < desired; i += 1) {
      machines.push({
        launchedAt: time,
        readyAt: time + settings.bootDelayMs,
        running: [],
        draining: false,
        terminatedAt: null,
      });
    }
    // Scale in: booting machines first, then the least busy, all draining their jobs first.
    const victims = [...counting]
      .sort(
        (a, b) =>
          Number(a.readyAt <= time) - Number(b.readyAt <= time) ||
          a.running.length - b.running.length,
      )
      .slice(0, Math.max(0, counting.length - desired));
    for (const machine of victims) {
      machine.draining = true;
      if (machine.running.length === 0) machine.terminatedAt = time;
    }
  }
}
