import {
  type AutoScalingClient,
  CreateOrUpdateTagsCommand,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
} from "@aws-sdk/client-auto-scaling";
import { GroupNotFoundError } from "./errors.js";
import { type HourlyPeaks, parsePeaks } from "./hourly-peaks.js";
import type { GroupState, PolicyMemory } from "./policy.js";

/**
 * The autoscaler's memory lives in tags on the group it scales: they survive
 * Lambda cold starts and CLI restarts, need no extra resource (no table, no
 * bucket), are visible next to the group in the console, and a run needs only
 * autoscaling:CreateOrUpdateTags on that one group.
 */
export const LOW_SINCE_TAG = "restyled:autoscale:low-since";
export const LAST_ACTION_TAG = "restyled:autoscale:last-action";
/**
 * When each in-service instance's machine was first seen disabled: restyled.io
 * keeps no such time. `i-…=epoch-seconds` pairs, space-separated, within a
 * tag value's 256 characters (about 8 entries; one that does not fit restarts
 * its clock, the safe direction).
 */
export const DISABLED_SINCE_TAG = "restyled:autoscale:disabled-since";
/**
 * The highest desired count in each of the last hours (hourly-peaks.ts), which
 * the warm pool's size follows; kept only for a group with a warm pool.
 */
export const DESIRED_PEAKS_TAG = "restyled:autoscale:desired-peaks";

/** One instance as DescribeAutoScalingGroups lists it. */
export interface GroupInstance {
  id: string;
  lifecycleState: string;
  healthy: boolean;
}

export interface MachinesGroup {
  name: string;
  state: GroupState;
  memory: PolicyMemory;
  lastAction: string | null;
  instances: GroupInstance[];
  /** Instance id → epoch ms, from the disabled-since tag. */
  disabledSince: Record<string, number>;
  /** The desired-peaks tag, parsed, and as written (to write it only when it changes). */
  desiredPeaks: HourlyPeaks;
  desiredPeaksTag: string;
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
    instances: (group.Instances ?? []).map((instance) => ({
      id: instance.InstanceId ?? "",
      lifecycleState: String(instance.LifecycleState ?? ""),
      healthy: instance.HealthStatus !== "Unhealthy",
    })),
    disabledSince: parseDisabledSince(tags.get(DISABLED_SINCE_TAG)),
    desiredPeaks: parsePeaks(tags.get(DESIRED_PEAKS_TAG)),
    desiredPeaksTag: tags.get(DESIRED_PEAKS_TAG) ?? "",
  };
}

/** A missing, empty or garbled tag restarts the stabilization clock, the safe direction. */
function parseTime(value: string | undefined): number | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

/** Garbled entries are dropped, which restarts their clocks. */
export function parseDisabledSince(value: string | undefined): Record<string, number> {
  const result: Record<string, number> = {};
  for (const entry of (value ?? "").split(" ")) {
    const match = /^(i-[0-9a-f]+)=(\d{9,11})$/.exec(entry);
    if (match) result[match[1]!] = Number(match[2]) * 1_000;
  }
  return result;
}

/** The oldest clocks first, so that what does not fit is the newest (the least far along). */
export function formatDisabledSince(since: Record<string, number>): string {
  let value = "";
  for (const [id, time] of Object.entries(since).sort((a, b) => a[1] - b[1])) {
    const entry = `${id}=${Math.floor(time / 1_000)}`;
    if (value.length + entry.length + 1 > 256) break;
    value = value ? `${value} ${entry}` : entry;
  }
  return value;
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
  memory: {
    lowSince: number | null;
    lastAction: string | null;
    disabledSince: Record<string, number>;
    /** The desired-peaks tag's new value; absent: not written (a group without a warm pool). */
    desiredPeaks?: string;
  },
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
        tag(DISABLED_SINCE_TAG, formatDisabledSince(memory.disabledSince)),
        ...(memory.desiredPeaks === undefined ? [] : [tag(DESIRED_PEAKS_TAG, memory.desiredPeaks)]),
      ],
    }),
  );
}
