import {
  type AutoScalingClient,
  CreateOrUpdateTagsCommand,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
} from "@aws-sdk/client-auto-scaling";
import { GroupNotFoundError } from "./errors.js";
import type { GroupState, PolicyMemory } from "./policy.js";

/**
 * The autoscaler's memory lives in tags on the group it scales: they survive
 * Lambda cold starts and CLI restarts, need no extra resource (no table, no
 * bucket), are visible next to the group in the console, and a run needs only
 * autoscaling:CreateOrUpdateTags on that one group.
 */
export const LOW_SINCE_TAG = "restyled:autoscale:low-since";
export const LAST_ACTION_TAG = "restyled:autoscale:last-action";

export interface MachinesGroup {
  name: string;
  state: GroupState;
  memory: PolicyMemory;
  lastAction: string | null;
}

/** Reads the group's limits, its instances' lifecycle states and the autoscaler's tags. */
export async function describeMachinesGroup(
  client: AutoScalingClient,
  name: string,
): Promise<MachinesGroup> {
  const answer = await client.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
  );
  const group = answer.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name);
  if (!group) {
    throw new GroupNotFoundError(
      `Auto Scaling group "${name}" does not exist in this account and region`,
    );
  }
  const states = (group.Instances ?? []).map((instance) => String(instance.LifecycleState ?? ""));
  const tags = new Map((group.Tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
  return {
    name,
    state: {
      min: group.MinSize ?? 0,
      max: group.MaxSize ?? 0,
      desired: group.DesiredCapacity ?? 0,
      inService: states.filter((s) => s === "InService").length,
      pending: states.filter((s) => s.startsWith("Pending")).length,
      terminating: states.filter((s) => s.startsWith("Terminating") || s === "Detaching").length,
    },
    memory: { lowSince: parseTime(tags.get(LOW_SINCE_TAG)) },
    lastAction: tags.get(LAST_ACTION_TAG) || null,
  };
}

/** A missing, empty or garbled tag restarts the stabilization clock, the safe direction. */
function parseTime(value: string | undefined): number | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

/** Scales the group directly, never through a stack update (which reset the other parameters). */
export async function setDesiredMachines(
  client: AutoScalingClient,
  name: string,
  desired: number,
): Promise<void> {
  await client.send(
    new SetDesiredCapacityCommand({
      AutoScalingGroupName: name,
      DesiredCapacity: desired,
      HonorCooldown: false,
    }),
  );
}

/** Saves the memory as tags; an empty value means "not set" (deleting would need another permission). */
export async function saveGroupMemory(
  client: AutoScalingClient,
  name: string,
  memory: { lowSince: number | null; lastAction: string | null },
): Promise<void> {
  const tag = (Key: string, Value: string) => ({
    ResourceId: name,
    ResourceType: "auto-scaling-group",
    Key,
    Value,
    PropagateAtLaunch: false,
  });
  await client.send(
    new CreateOrUpdateTagsCommand({
      Tags: [
        tag(LOW_SINCE_TAG, memory.lowSince === null ? "" : new Date(memory.lowSince).toISOString()),
        tag(LAST_ACTION_TAG, memory.lastAction ?? ""),
      ],
    }),
  );
}
