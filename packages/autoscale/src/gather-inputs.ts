import { readParameter } from "@restyled/core/aws";
import { parameterName, type SsmKey } from "@restyled/core/contract";
import type { Logger } from "@restyled/core/logger";
import { createRestyledApi, type Machine, type RestyledApi } from "@restyled/core/restyled-api";
import type { AwsClients } from "./clients.js";
import type { AutoscaleConfig } from "./config.js";
import { DependencyError } from "./errors.js";
import { describeMachinesGroup, type MachinesGroup } from "./machines-group.js";
import { publishQueueDepths } from "./metrics.js";
import { type QueueDepth, readQueueDepths } from "./queue-depth.js";
import { readWarmPool, type WarmPoolState } from "./read-warm-pool.js";
import {
  type ActivityTimes,
  readActivityTimes,
  readTerminatingHook,
} from "./reconcile/read-fleet.js";
import { describeWebhooksService, type WebhooksService } from "./webhooks-service.js";
import { withContext } from "./with-context.js";

export interface Inputs {
  queues: QueueDepth[];
  queued: number;
  /** null when the admin API is not configured. */
  inFlight: number | null;
  busyMachines: number;
  /** Jobs per machine name (enabled machines), from `/admin/machines/state`; empty without restyled.io. */
  jobCounts: Record<string, number>;
  /** Every registered machine; null when restyled.io is not configured. */
  machines: Machine[] | null;
  /** The admin API client, for the reconcile's writes; null without restyled.io. */
  registry: RestyledApi | null;
  group: MachinesGroup;
  /** The group's warm pool; null when it has none. */
  warmPool: WarmPoolState | null;
  activities: ActivityTimes;
  terminatingHook: string | null;
  webhooks: WebhooksService | null;
}

/** What was read before a failure, so that the decision record shows it. */
export type PartialInputs = { [K in keyof Inputs]?: Inputs[K] };

export class GatherError extends Error {
  override name = "GatherError";
  constructor(
    readonly failures: unknown[],
    readonly partial: PartialInputs,
  ) {
    super(failures.map((f) => (f instanceof Error ? f.message : String(f))).join("; "), {
      cause: failures[0],
    });
  }
}

/**
 * Reads every input in parallel and publishes the queue depth metric as soon
 * as it is known (unless a dry run). Any failure fails the whole gathering, so
 * that no scaling decision is made on half the picture.
 */
export async function gatherInputs(options: {
  config: AutoscaleConfig;
  clients: AwsClients;
  logger: Logger;
  time: Date;
}): Promise<Inputs> {
  const { config, clients, logger } = options;
  const partial: PartialInputs = {};
  const readSecret = (key: SsmKey) => {
    const name = parameterName(config.environment, key);
    return withContext(`GetParameter ${name}`, () => readParameter(clients.ssm, name));
  };

  const depths = (async () => {
    const redisUrl = config.redisUrl ?? (await readSecret("redis-url"));
    const queues = await readQueueDepths({
      redisUrl,
      queues: config.queues,
      insecureTls: config.redisInsecureTls,
      logger,
    });
    partial.queues = queues;
    partial.queued = queues.reduce((sum, q) => sum + q.depth, 0);
    if (!config.dryRun) {
      await withContext("PutMetricData QueueDepth", () =>
        publishQueueDepths(clients.cloudWatch, {
          environment: config.environment,
          depths: queues,
          time: options.time,
        }),
      );
    }
  })();

  const running = (async () => {
    if (!config.restyledUrl) {
      partial.inFlight = null;
      partial.busyMachines = 0;
      partial.jobCounts = {};
      partial.machines = null;
      partial.registry = null;
      return;
    }
    const token = config.restyledToken ?? (await readSecret("restyled-api-token"));
    const api = createRestyledApi({ baseUrl: config.restyledUrl, token, logger });
    const [state, machines] = await Promise.all([api.getState(), api.listMachines()]);
    if (!Array.isArray(machines)) {
      throw new DependencyError("GET /admin/machines answered without an array of machines");
    }
    const summary = summarizeJobCounts(state.jobCounts);
    partial.inFlight = summary.inFlight;
    partial.busyMachines = summary.busyMachines;
    partial.jobCounts = state.jobCounts;
    partial.machines = machines;
    partial.registry = api;
  })();

  const group = withContext(`DescribeAutoScalingGroups ${config.groupName}`, () =>
    describeMachinesGroup(clients.autoScaling, config.groupName),
  ).then((g) => {
    partial.group = g;
  });
  const warmPool = withContext(`DescribeWarmPool ${config.groupName}`, () =>
    readWarmPool(clients.autoScaling, config.groupName),
  ).then((w) => {
    partial.warmPool = w;
  });
  const activities = withContext(`DescribeScalingActivities ${config.groupName}`, () =>
    readActivityTimes(clients.autoScaling, config.groupName),
  ).then((a) => {
    partial.activities = a;
  });
  const hooks = withContext(`DescribeLifecycleHooks ${config.groupName}`, () =>
    readTerminatingHook(clients.autoScaling, config.groupName),
  ).then((h) => {
    partial.terminatingHook = h;
  });
  const webhooks = (async () => {
    const ref = config.webhooks;
    partial.webhooks = ref
      ? await withContext(`DescribeServices ${ref.cluster}/${ref.service}`, () =>
          describeWebhooksService(clients.ecs, ref),
        )
      : null;
  })();

  const results = await Promise.allSettled([
    depths,
    running,
    group,
    warmPool,
    activities,
    hooks,
    webhooks,
  ]);
  const failures = results
    .filter((r): r is PromiseRejectedResult => r.status === "rejected")
    .map((r) => r.reason);
  if (failures.length > 0) throw new GatherError(failures, partial);
  return partial as Inputs;
}

/** Running jobs in total, and how many machines run at least one. */
export function summarizeJobCounts(jobCounts: Record<string, number>): {
  inFlight: number;
  busyMachines: number;
} {
  const counts = Object.values(jobCounts);
  return {
    inFlight: counts.reduce((sum, count) => sum + count, 0),
    busyMachines: counts.filter((count) => count > 0).length,
  };
}
