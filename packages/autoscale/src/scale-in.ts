import {
  type AutoScalingClient,
  TerminateInstanceInAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import type { RestyledApi } from "@restyled/core/restyled-api";
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

/**
 * Disables the machine so restyled.io sends it nothing more, then terminates
 * that very instance with the desired count decremented (Auto Scaling would
 * otherwise pick one itself, perhaps a busy one). A job that reached it in
 * between is drained by the agent's TERMINATING hook; the record says so.
 * If the termination fails, the machine is enabled again.
 */
export async function scaleInMachine(options: {
  choice: ScaleInChoice;
  autoScaling: AutoScalingClient;
  registry: RestyledApi;
}): Promise<{ jobsAtTermination: number }> {
  const { choice, registry } = options;
  await registry.setEnabled(choice.machineId, false);
  try {
    const machine = await registry.getMachine(choice.machineId);
    await withContext(`TerminateInstanceInAutoScalingGroup ${choice.instanceId}`, () =>
      options.autoScaling.send(
        new TerminateInstanceInAutoScalingGroupCommand({
          InstanceId: choice.instanceId,
          ShouldDecrementDesiredCapacity: true,
        }),
      ),
    );
    return { jobsAtTermination: machine.jobCount ?? 0 };
  } catch (error) {
    await registry.setEnabled(choice.machineId, true).catch(() => undefined);
    throw error;
  }
}
