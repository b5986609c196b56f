import {
  type AutoScalingClient,
  SetDesiredCapacityCommand,
  SetInstanceProtectionCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import type { RestyledApi } from "@restyled/core/restyled-api";
import type { GroupInstance } from "./machines-group.js";
import type { ServingInstance } from "./reconcile/plan.js";
import { withContext } from "./with-context.js";

/** The machine a scale-in takes: idle, and known to the registry. */
export interface ScaleInChoice {
  instanceId: string;
  machineId: number;
}

/**
 * Picks an idle serving machine, never a busy one: the longest-running first
 * (a fresh instance has the newest image and a clean disk). Null when every
 * machine runs jobs or the registry is not read.
 */
export function chooseScaleIn(serving: ServingInstance[]): ScaleInChoice | null {
  const idle = serving
    .filter(
      (s): s is ServingInstance & { machineId: number } => s.jobs === 0 && s.machineId !== null,
    )
    .sort((a, b) => (a.launchedAt ?? 0) - (b.launchedAt ?? 0));
  const first = idle[0];
  return first ? { instanceId: first.instanceId, machineId: first.machineId } : null;
}

/** SetInstanceProtection takes at most 50 instance ids a call (API reference). */
const PROTECTION_BATCH = 50;

/**
 * How the chosen instance leaves. "terminate": TerminateInstanceInAutoScalingGroup
 * with the desired count decremented, which terminates it even when the group
 * has a warm pool (a terminated instance cannot be started again, API
 * reference). "protect", for a warm pool with ReuseOnScaleIn: every other
 * instance is protected from scale-in and the desired count lowered by one, so
 * that Auto Scaling's own scale-in takes the chosen instance and returns it to
 * the pool (its TERMINATING hook still drains it).
 */
export type ScaleInPath =
  | { kind: "terminate" }
  | { kind: "protect"; groupName: string; desired: number; others: string[] };

/**
 * The protect path only when it can take nothing but the chosen instance:
 * every other instance is in service (a Pending one could not be relied on
 * to be passed over) and the group has a pool that reuses instances.
 */
export function chooseScaleInPath(options: {
  choice: ScaleInChoice;
  groupName: string;
  desired: number;
  instances: GroupInstance[];
  reuseOnScaleIn: boolean;
}): ScaleInPath {
  const others = options.instances.filter(
    (i) =>
      i.id !== options.choice.instanceId &&
      !i.lifecycleState.startsWith("Terminating") &&
      i.lifecycleState !== "Detaching",
  );
  if (!options.reuseOnScaleIn || others.some((i) => i.lifecycleState !== "InService")) {
    return { kind: "terminate" };
  }
  return {
    kind: "protect",
    groupName: options.groupName,
    desired: options.desired,
    others: others.map((i) => i.id),
  };
}

/**
 * The guards an earlier scale-in back to the warm pool left, to release now:
 * every instance protected from scale-in, once the group holds no more
 * instances than its desired count (Auto Scaling has taken the one it was
 * lowered for). While a surplus remains, Auto Scaling has not yet picked, and
 * releasing would let it pick a busy machine. Left in place, the guards would
 * stop Auto Scaling's own scale-in for good (this tool owns scale-in
 * protection on the machines group; an operator holds a machine with Standby).
 */
export function guardsToRelease(instances: GroupInstance[], desired: number): string[] {
  const counted = instances.filter(
    (i) => i.lifecycleState === "InService" || i.lifecycleState.startsWith("Pending"),
  );
  if (counted.length > desired) return [];
  return instances.filter((i) => i.protectedFromScaleIn).map((i) => i.id);
}

/** Lifts the guards, in batches of SetInstanceProtection's 50 ids. */
export async function releaseGuards(
  autoScaling: AutoScalingClient,
  groupName: string,
  instanceIds: string[],
): Promise<void> {
  for (let i = 0; i < instanceIds.length; i += PROTECTION_BATCH) {
    const batch = instanceIds.slice(i, i + PROTECTION_BATCH);
    await withContext(`SetInstanceProtection ${batch.join(",")} off`, () =>
      autoScaling.send(
        new SetInstanceProtectionCommand({
          AutoScalingGroupName: groupName,
          InstanceIds: batch,
          ProtectedFromScaleIn: false,
        }),
      ),
    );
  }
}

/**
 * Disables the machine so restyled.io sends it nothing more, then makes that
 * very instance leave with the desired count decremented (Auto Scaling would
 * otherwise pick one itself, perhaps a busy one). A job that reached it in
 * between is drained by the agent's TERMINATING hook; the record says so.
 * If a call fails, the machine is enabled again.
 */
export async function scaleInMachine(options: {
  choice: ScaleInChoice;
  autoScaling: AutoScalingClient;
  registry: RestyledApi;
  path?: ScaleInPath;
}): Promise<{ jobsAtTermination: number }> {
  const { choice, registry, autoScaling } = options;
  const path = options.path ?? { kind: "terminate" };
  await registry.setEnabled(choice.machineId, false);
  try {
    const machine = await registry.getMachine(choice.machineId);
    if (path.kind === "protect") {
      for (let i = 0; i < path.others.length; i += PROTECTION_BATCH) {
        const batch = path.others.slice(i, i + PROTECTION_BATCH);
        await withContext(`SetInstanceProtection ${batch.join(",")} on`, () =>
          autoScaling.send(
            new SetInstanceProtectionCommand({
              AutoScalingGroupName: path.groupName,
              InstanceIds: batch,
              ProtectedFromScaleIn: true,
            }),
          ),
        );
      }
      await withContext(`SetInstanceProtection ${choice.instanceId} off`, () =>
        autoScaling.send(
          new SetInstanceProtectionCommand({
            AutoScalingGroupName: path.groupName,
            InstanceIds: [choice.instanceId],
            ProtectedFromScaleIn: false,
          }),
        ),
      );
      await withContext(`SetDesiredCapacity ${path.groupName} to ${path.desired - 1}`, () =>
        autoScaling.send(
          new SetDesiredCapacityCommand({
            AutoScalingGroupName: path.groupName,
            DesiredCapacity: path.desired - 1,
            HonorCooldown: false,
          }),
        ),
      );
    } else {
      await withContext(`TerminateInstanceInAutoScalingGroup ${choice.instanceId}`, () =>
        autoScaling.send(
          new TerminateInstanceInAutoScalingGroupCommand({
            InstanceId: choice.instanceId,
            ShouldDecrementDesiredCapacity: true,
          }),
        ),
      );
    }
    return { jobsAtTermination: machine.jobCount ?? 0 };
  } catch (error) {
    await registry.setEnabled(choice.machineId, true).catch(() => undefined);
    throw error;
  }
}
