import {
  type AutoScalingClient,
  CompleteLifecycleActionCommand,
  SetInstanceHealthCommand,
} from "@aws-sdk/client-auto-scaling";
import type { RestyledApi } from "@restyled/core/restyled-api";
import { withContext } from "../with-context.js";
import type { ReconcileAction } from "./plan.js";

/** One reconcile action as the decision record shows it. */
export type RecordedAction = ReconcileAction & { applied: boolean; error?: string };

/**
 * Carries out the planned repairs one by one. A failed action is recorded and
 * does not stop the others: each repairs a different instance or machine.
 */
export async function applyReconcile(options: {
  actions: ReconcileAction[];
  autoScaling: AutoScalingClient;
  groupName: string;
  registry: RestyledApi | null;
}): Promise<RecordedAction[]> {
  const recorded: RecordedAction[] = [];
  for (const action of options.actions) {
    try {
      await applyOne(action, options);
      recorded.push({ ...action, applied: true });
    } catch (error) {
      recorded.push({ ...action, applied: false, error: (error as Error).message });
    }
  }
  return recorded;
}

async function applyOne(
  action: ReconcileAction,
  options: {
    autoScaling: AutoScalingClient;
    groupName: string;
    registry: RestyledApi | null;
  },
): Promise<void> {
  switch (action.kind) {
    case "mark-unhealthy":
      // Not respecting the group's health-check grace period: the boot grace above already did.
      await withContext(`SetInstanceHealth ${action.instanceId} Unhealthy`, () =>
        options.autoScaling.send(
          new SetInstanceHealthCommand({
            InstanceId: action.instanceId,
            HealthStatus: "Unhealthy",
            ShouldRespectGracePeriod: false,
          }),
        ),
      );
      return;
    case "complete-lifecycle-action":
      await withContext(`CompleteLifecycleAction ${action.instanceId} CONTINUE`, () =>
        options.autoScaling.send(
          new CompleteLifecycleActionCommand({
            AutoScalingGroupName: options.groupName,
            LifecycleHookName: action.hook,
            InstanceId: action.instanceId,
            LifecycleActionResult: "CONTINUE",
          }),
        ),
      );
      return;
    case "deregister": {
      const registry = options.registry;
      if (!registry) throw new Error("restyled.io is not configured");
      await registry.deleteMachine(action.machineId);
      return;
    }
  }
}
