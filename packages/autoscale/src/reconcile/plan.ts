import { formatDuration } from "@restyled/core/duration";
import {
  type FleetInstance,
  type FleetSnapshot,
  isPending,
  isTerminating,
  machineName,
  type RegistryMachine,
} from "./fleet.js";
import type { ReconcileSettings } from "./settings.js";

export type ReconcileAction =
  | { kind: "mark-unhealthy"; instanceId: string; reason: string }
  | { kind: "deregister"; machineId: number; name: string; reason: string }
  | { kind: "complete-lifecycle-action"; instanceId: string; hook: string; reason: string };

/** An instance the group counts but that serves no jobs, or a launch that never arrived. */
export interface StuckLaunch {
  instanceId: string | null;
  reason: string;
}

/** An in-service instance that takes jobs: capacity, and a scale-in candidate when idle. */
export interface ServingInstance {
  instanceId: string;
  launchedAt: number | null;
  /** Jobs restyled.io counts on it (0 without the registry: unknown, taken as idle). */
  jobs: number;
  /** Its registry id, to disable it before terminating it; null without the registry. */
  machineId: number | null;
}

/** The fleet as capacity: what serves now, what is on its way, what is going. */
export interface Capacity {
  serving: ServingInstance[];
  /** Launches under way, instances in service still inside the boot grace, and replacements. */
  coming: number;
  /** In service but not serving (machine disabled, inside the grace): neither capacity nor coming. */
  idleUnusable: number;
  draining: number;
}

export interface ReconcilePlan {
  actions: ReconcileAction[];
  stuckLaunches: StuckLaunch[];
  /** Notes on trouble seen but not (yet) acted on, for the decision record. */
  notes: string[];
  /** Instance id → when its machine was first seen disabled (to keep in the group's tag). */
  disabledSince: Record<string, number>;
  capacity: Capacity;
}

/**
 * Decides what to repair from one snapshot. Pure: the clock is the
 * snapshot's, and the only memory is when each machine was first seen
 * disabled (restyled.io does not say). Every other age comes from Auto
 * Scaling's own activities, so a stateless Lambda needs nothing else.
 */
export function planReconcile(
  snapshot: FleetSnapshot,
  settings: ReconcileSettings,
  memory: { disabledSince: Record<string, number> },
): ReconcilePlan {
  const { now, environment } = snapshot;
  const actions: ReconcileAction[] = [];
  const stuckLaunches: StuckLaunch[] = [];
  const notes: string[] = [];
  const disabledSince: Record<string, number> = {};
  const capacity: Capacity = { serving: [], coming: 0, idleUnusable: 0, draining: 0 };
  const byName = new Map((snapshot.machines ?? []).map((m) => [m.name, m]));
  const age = (since: number) => formatDuration(Math.max(0, now - since));
  let replacements = 0;

  const markUnhealthy = (instance: FleetInstance, reason: string) => {
    if (replacements >= settings.maxReplacementsPerRun) {
      notes.push(
        `${instance.id}: ${reason}; left for a later run (${settings.maxReplacementsPerRun} replacement(s) per run)`,
      );
      capacity.idleUnusable += 1;
      return;
    }
    replacements += 1;
    actions.push({ kind: "mark-unhealthy", instanceId: instance.id, reason });
    // The group launches a replacement without a change of desired count.
    capacity.coming += 1;
  };

  for (const instance of snapshot.instances) {
    const state = instance.lifecycleState;
    const machine = byName.get(machineName(environment, instance.id));
    if (isPending(state)) {
      capacity.coming += 1;
      if (instance.launchedAt !== null && now - instance.launchedAt > settings.launchTimeoutMs) {
        stuckLaunches.push({
          instanceId: instance.id,
          reason: `${instance.id} launched ${age(instance.launchedAt)} ago and is still ${state} (bound ${formatDuration(settings.launchTimeoutMs)})`,
        });
      }
      continue;
    }
    if (isTerminating(state)) {
      capacity.draining += 1;
      planTermination(instance, machine);
      continue;
    }
    if (state !== "InService") continue; // Standby and warm-pool states are an operator's business.
    if (!instance.healthy) {
      capacity.coming += 1; // Auto Scaling is replacing it already.
      continue;
    }
    if (snapshot.machines === null) {
      capacity.serving.push({
        instanceId: instance.id,
        launchedAt: instance.launchedAt,
        jobs: 0,
        machineId: null,
      });
      continue;
    }
    const pastBoot =
      instance.launchedAt !== null && now - instance.launchedAt > settings.bootGraceMs;
    if (!machine) {
      if (pastBoot)
        markUnhealthy(
          instance,
          `in service ${age(instance.launchedAt ?? now)} after launch with no machine ${machineName(environment, instance.id)} registered (boot grace ${formatDuration(settings.bootGraceMs)})`,
        );
      else capacity.coming += 1;
      continue;
    }
    if (!machine.enabled) {
      const since = memory.disabledSince[instance.id] ?? now;
      if (now - since > settings.disabledGraceMs && pastBoot) {
        markUnhealthy(
          instance,
          `machine ${machine.name} disabled for ${age(since)} (grace ${formatDuration(settings.disabledGraceMs)}): its daemon is gone`,
        );
      } else {
        disabledSince[instance.id] = since;
        capacity.idleUnusable += 1;
        if (now > since)
          notes.push(`${instance.id}: machine disabled for ${age(since)}, inside the grace`);
      }
      continue;
    }
    capacity.serving.push({
      instanceId: instance.id,
      launchedAt: instance.launchedAt,
      jobs: machine.jobs,
      machineId: machine.id,
    });
  }

  // Ghosts: machines of this environment whose instance has left the group.
  const live = new Set(snapshot.instances.map((i) => i.id));
  const prefix = `restyled-${environment}-`;
  for (const machine of snapshot.machines ?? []) {
    if (!machine.name.startsWith(prefix)) continue;
    const instanceId = machine.name.slice(prefix.length);
    if (!/^i-[0-9a-f]+$/.test(instanceId) || live.has(instanceId)) continue;
    actions.push({
      kind: "deregister",
      machineId: machine.id,
      name: machine.name,
      reason: `instance ${instanceId} is no longer in the group`,
    });
  }

  // Launches that never produced an instance (no capacity, a failing launch template).
  const present = snapshot.instances.filter((i) => !isTerminating(i.lifecycleState)).length;
  const failure = snapshot.launchFailure;
  if (snapshot.desired > present && failure) {
    stuckLaunches.push({
      instanceId: null,
      reason: `${snapshot.desired - present} instance(s) short of desired ${snapshot.desired}; the latest launch ${failure.status.toLowerCase()} ${age(failure.at)} ago: ${failure.message}`,
    });
  }
  return { actions, stuckLaunches, notes, disabledSince, capacity };

  function planTermination(instance: FleetInstance, machine: RegistryMachine | undefined) {
    if (instance.lifecycleState !== "Terminating:Wait" || snapshot.machines === null) return;
    const since = instance.terminatingSince;
    const bound = settings.drainTimeoutMs + settings.terminateGraceMs;
    if (since === null || now - since <= bound) return;
    const gone = !machine
      ? `no machine registered`
      : !machine.enabled && machine.jobs === 0
        ? `machine ${machine.name} disabled with no jobs`
        : null;
    if (!gone) {
      notes.push(
        `${instance.id}: terminating for ${age(since)} but its machine is ${machine?.enabled ? "enabled" : `still running ${machine?.jobs} job(s)`}; leaving it to its agent`,
      );
      return;
    }
    if (!snapshot.terminatingHook) {
      notes.push(
        `${instance.id}: waiting in Terminating:Wait but the group has no TERMINATING hook to complete`,
      );
      return;
    }
    actions.push({
      kind: "complete-lifecycle-action",
      instanceId: instance.id,
      hook: snapshot.terminatingHook,
      reason: `terminating for ${age(since)} (drain timeout ${formatDuration(settings.drainTimeoutMs)} + grace ${formatDuration(settings.terminateGraceMs)}) with ${gone}: its agent is gone`,
    });
  }
}

/**
 * A stopped warm pool instance that Auto Scaling terminates (the pool shrank,
 * a roll, the pool deleted) pauses in Warmed:Terminating:Wait for the
 * TERMINATING hook, but no agent runs on it to answer: it would wait out the
 * hook's timeout. It was never registered (the agent registers nothing in the
 * pool, and scale-in never returns a machine to it), so there is nothing to
 * drain: complete the action at once.
 */
export function planStoppedPoolTerminations(
  instanceIds: string[],
  terminatingHook: string | null,
): { actions: ReconcileAction[]; notes: string[] } {
  if (instanceIds.length === 0) return { actions: [], notes: [] };
  if (!terminatingHook) {
    return {
      actions: [],
      notes: instanceIds.map(
        (id) =>
          `${id}: stopped in the warm pool, waiting in Warmed:Terminating:Wait, but the group has no TERMINATING hook to complete`,
      ),
    };
  }
  return {
    actions: instanceIds.map((instanceId) => ({
      kind: "complete-lifecycle-action" as const,
      instanceId,
      hook: terminatingHook,
      reason:
        "stopped in the warm pool and terminating: no agent runs to answer its hook, and a machine never registered has nothing to drain",
    })),
    notes: [],
  };
}
