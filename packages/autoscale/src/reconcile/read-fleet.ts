import {
  type Activity,
  type AutoScalingClient,
  DescribeLifecycleHooksCommand,
  DescribeScalingActivitiesCommand,
} from "@aws-sdk/client-auto-scaling";
import type { LaunchFailure } from "./fleet.js";

/** What the group's recent scaling activities say about each instance. */
export interface ActivityTimes {
  launchedAt: Map<string, number>;
  terminatingSince: Map<string, number>;
  /** The oldest activity read: every live instance not named in them launched before it. */
  oldest: number | null;
  launchFailure: LaunchFailure | null;
}

// The descriptions Auto Scaling writes for its activities (AWS documents them in
// its examples: "Launching a new EC2 instance: i-…", "Terminating EC2 instance: i-…").
const LAUNCH = /^Launching a new EC2 instance(?: from warm pool)?: (i-[0-9a-f]+)/;
const LAUNCH_FAILED = /^Launching a new EC2 instance/;
const TERMINATE = /^Terminating EC2 instance: (i-[0-9a-f]+)/;

/**
 * Reads the newest 100 activities (one page, newest first: enough for a fleet
 * of this size, and what is older only matters as "long ago", which `oldest`
 * bounds). Instance ages come from Auto Scaling itself, so a stateless run
 * needs no memory of when it first saw an instance.
 */
export async function readActivityTimes(
  client: AutoScalingClient,
  groupName: string,
): Promise<ActivityTimes> {
  const answer = await client.send(
    new DescribeScalingActivitiesCommand({ AutoScalingGroupName: groupName, MaxRecords: 100 }),
  );
  return activityTimes(answer?.Activities ?? []);
}

export function activityTimes(activities: Activity[]): ActivityTimes {
  const times: ActivityTimes = {
    launchedAt: new Map(),
    terminatingSince: new Map(),
    oldest: null,
    launchFailure: null,
  };
  let newestLaunch: Activity | undefined;
  for (const activity of activities) {
    const start = activity.StartTime?.getTime();
    if (start === undefined) continue;
    times.oldest = Math.min(times.oldest ?? start, start);
    const description = activity.Description ?? "";
    const launch = LAUNCH.exec(description);
    if (launch && !times.launchedAt.has(launch[1]!)) times.launchedAt.set(launch[1]!, start);
    const terminate = TERMINATE.exec(description);
    if (terminate && !times.terminatingSince.has(terminate[1]!)) {
      times.terminatingSince.set(terminate[1]!, start);
    }
    if (
      LAUNCH_FAILED.test(description) &&
      (!newestLaunch || start > (newestLaunch.StartTime?.getTime() ?? 0))
    ) {
      newestLaunch = activity;
    }
  }
  const status = newestLaunch?.StatusCode;
  if (newestLaunch && (status === "Failed" || status === "Cancelled")) {
    times.launchFailure = {
      at: newestLaunch.StartTime?.getTime() ?? 0,
      status,
      message: newestLaunch.StatusMessage ?? newestLaunch.Description ?? "",
    };
  }
  return times;
}

/** The name of the group's TERMINATING lifecycle hook, or null if it has none. */
export async function readTerminatingHook(
  client: AutoScalingClient,
  groupName: string,
): Promise<string | null> {
  const answer = await client.send(
    new DescribeLifecycleHooksCommand({ AutoScalingGroupName: groupName }),
  );
  const hook = (answer?.LifecycleHooks ?? []).find(
    (h) => h.LifecycleTransition === "autoscaling:EC2_INSTANCE_TERMINATING",
  );
  return hook?.LifecycleHookName ?? null;
}
