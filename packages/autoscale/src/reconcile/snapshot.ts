import type { Machine } from "@restyled/core/restyled-api";
import type { GroupInstance } from "../machines-group.js";
import type { FleetSnapshot, LaunchFailure } from "./fleet.js";
import type { ActivityTimes } from "./read-fleet.js";

/**
 * Joins what was read into one snapshot. A machine's jobs are restyled.io's
 * live count from `/admin/machines/state` (enabled machines), else the
 * registry's `jobCount` (a disabled machine still finishing jobs).
 */
export function buildSnapshot(options: {
  now: number;
  environment: string;
  desired: number;
  instances: GroupInstance[];
  activities: ActivityTimes;
  terminatingHook: string | null;
  machines: Machine[] | null;
  jobCounts: Record<string, number>;
}): FleetSnapshot {
  const { activities } = options;
  return {
    now: options.now,
    environment: options.environment,
    desired: options.desired,
    instances: options.instances.map((instance) => ({
      id: instance.id,
      lifecycleState: instance.lifecycleState,
      healthy: instance.healthy,
      // Not among the newest activities: launched before the oldest of them.
      launchedAt: activities.launchedAt.get(instance.id) ?? activities.oldest,
      terminatingSince: activities.terminatingSince.get(instance.id) ?? null,
    })),
    machines:
      options.machines?.map((m) => ({
        id: m.id,
        name: m.name,
        enabled: m.enabled,
        jobs: options.jobCounts[m.name] ?? m.jobCount ?? 0,
      })) ?? null,
    terminatingHook: options.terminatingHook,
    launchFailure: activities.launchFailure satisfies LaunchFailure | null,
  };
}
