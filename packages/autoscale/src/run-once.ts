import type { Logger } from "@restyled/core/logger";
import type { AwsClients } from "./clients.js";
import type { AutoscaleConfig } from "./config.js";
import { GatherError, gatherInputs, type PartialInputs } from "./gather-inputs.js";
import { saveGroupMemory, setDesiredMachines } from "./machines-group.js";
import { publishStuckLaunches } from "./metrics.js";
import { type Decision, decideQueuePolicy, type GroupState, type ScalingAction } from "./policy.js";
import type { QueueDepth } from "./queue-depth.js";
import type { WarmPoolState } from "./read-warm-pool.js";
import { applyReconcile, type RecordedAction } from "./reconcile/apply.js";
import {
  planReconcile,
  planStoppedPoolTerminations,
  type ReconcilePlan,
  type StuckLaunch,
} from "./reconcile/plan.js";
import { buildSnapshot } from "./reconcile/snapshot.js";
import { chooseScaleIn, type ScaleInChoice, scaleInMachine } from "./scale-in.js";
import {
  planWarmPoolSize,
  putWarmPoolCapacity,
  type WarmPoolSizePlan,
  type WarmPoolSizeRecord,
} from "./size-warm-pool.js";
import { setWebhooksTasks } from "./webhooks-service.js";
import { withContext } from "./with-context.js";

/** The JSON record of one run: what was seen, what was decided and why, what went wrong. */
export interface DecisionRecord {
  time: string;
  environment: string;
  dryRun: boolean;
  inputs: {
    queues: QueueDepth[] | null;
    queued: number | null;
    inFlight: number | null;
    busyMachines: number | null;
    jobsPerMachine: number;
    group: (GroupState & { name: string }) | null;
    /** The group's warm pool (DescribeWarmPool); null when it has none or it could not be read. */
    warmPool: WarmPoolState | null;
    lowSince: string | null;
    webhooks: { cluster: string; service: string; desired: number; running: number } | null;
  };
  /**
   * The fleet's repairs, made before sizing (each with `applied`), stuck
   * launches and trouble seen inside its grace. Null when inputs failed.
   */
  reconcile: {
    actions: RecordedAction[];
    stuckLaunches: StuckLaunch[];
    notes: string[];
    capacity: {
      serving: number;
      coming: number;
      idleUnusable: number;
      draining: number;
      idle: number | null;
    };
  } | null;
  /** The machine a scale-in takes (disabled, then terminated with the desired count decremented). */
  scaleIn: (ScaleInChoice & { jobsAtTermination?: number }) | null;
  /**
   * The warm pool's size (MaxGroupPreparedCapacity) this tool set, and why;
   * null when the group has no warm pool, the sizing is off
   * (--warm-pool-sizing aws-default) or inputs failed.
   */
  warmPoolSize: WarmPoolSizeRecord | null;
  /** Machines the group should have; null when the group could not be read. */
  desired: number | null;
  action: ScalingAction;
  reason: string;
  /** Webhooks tasks to run, when the service is configured. */
  webhooksDesired: number | null;
  /** Whether the action (and the memory tags) were written; false on a dry run or failure. */
  applied: boolean;
  error?: { name: string; message: string };
}

/**
 * A pool that takes scaled-in instances back would start them again later,
 * and each start registers `restyled-{env}-{instance-id}` anew, while
 * restyled.io needs machine names unique over time. This tool terminates the
 * machines it scales in; Auto Scaling's own scale-in would not.
 */
export const REUSE_NOTE =
  "the warm pool takes scaled-in instances back (ReuseOnScaleIn): started again, each would register its machine name a second time, and restyled.io needs names unique over time; set ReuseOnScaleIn to false";

/**
 * One autoscaling run: gather inputs, decide with the queue policy, then act
 * (unless a dry run). Never throws for a failed dependency: the failure is in
 * the record's `error`, and no scaling action follows a failed read.
 */
export async function runOnce(options: {
  config: AutoscaleConfig;
  clients: AwsClients;
  logger: Logger;
  now?: () => number;
}): Promise<DecisionRecord> {
  const { config, clients, logger } = options;
  const time = new Date((options.now ?? Date.now)());

  let inputs: Awaited<ReturnType<typeof gatherInputs>>;
  try {
    inputs = await gatherInputs({ config, clients, logger, time });
  } catch (error) {
    const partial = error instanceof GatherError ? error.partial : {};
    const failure = error instanceof GatherError ? error.failures[0] : error;
    return {
      ...baseRecord(config, time, partial),
      reconcile: null,
      scaleIn: null,
      warmPoolSize: null,
      desired: partial.group?.state.desired ?? null,
      action: "none",
      reason: "inputs could not be read; not scaling",
      webhooksDesired: null,
      applied: false,
      error: describeError(failure, error),
    };
  }

  const { group } = inputs;
  const groupPlan = planReconcile(
    buildSnapshot({
      now: time.getTime(),
      environment: config.environment,
      desired: group.state.desired,
      instances: group.instances,
      activities: inputs.activities,
      terminatingHook: inputs.terminatingHook,
      machines: inputs.machines,
      jobCounts: inputs.jobCounts,
    }),
    config.reconcile,
    { disabledSince: group.disabledSince },
  );
  const pool = planStoppedPoolTerminations(
    inputs.warmPool?.stoppedAwaitingTermination ?? [],
    inputs.terminatingHook,
  );
  const plan: ReconcilePlan = {
    ...groupPlan,
    actions: [...groupPlan.actions, ...pool.actions],
    notes: [
      ...groupPlan.notes,
      ...pool.notes,
      ...(inputs.warmPool?.reuseOnScaleIn ? [REUSE_NOTE] : []),
    ],
  };
  const { capacity } = plan;
  const registryRead = inputs.machines !== null;
  const idle = registryRead ? capacity.serving.filter((s) => s.jobs === 0).length : undefined;
  const decision = decideQueuePolicy(
    {
      now: time.getTime(),
      queued: inputs.queued,
      inFlight: inputs.inFlight ?? 0,
      busyMachines: inputs.busyMachines,
      group: {
        ...group.state,
        inService: capacity.serving.length,
        pending: capacity.coming,
        terminating: capacity.draining,
        idle,
        warm: inputs.warmPool?.ready ?? 0,
      },
    },
    {
      jobsPerMachine: config.jobsPerMachine,
      scaleInStabilizationMs: config.scaleInStabilizationMs,
      bootDelayMs: config.bootDelayMs,
      expectedJobDurationMs: config.expectedJobDurationMs,
      warmStartMs: config.warmStartMs,
      warmScaleInStabilizationMs: config.warmScaleInStabilizationMs,
    },
    group.memory,
  );
  // With the registry, the scale-in takes an idle machine of our choosing; without it, Auto Scaling picks.
  const scaleIn =
    decision.action === "scale-in" && registryRead ? chooseScaleIn(capacity.serving) : null;
  const webhooksDesired = config.webhooks ? decision.desired * config.tasksPerMachine : null;
  // A group without a warm pool is left as it is: no history, no PutWarmPool.
  const poolPlan =
    config.warmPoolSizing && inputs.warmPool
      ? planWarmPoolSize({
          pool: inputs.warmPool,
          groupMax: group.state.max,
          desired: decision.desired,
          history: group.desiredPeaks,
          now: time.getTime(),
          sizing: config.warmPoolSizing,
        })
      : null;
  const record: DecisionRecord = {
    ...baseRecord(config, time, inputs),
    reconcile: {
      actions: plan.actions.map((action) => ({ ...action, applied: false })),
      stuckLaunches: plan.stuckLaunches,
      notes: plan.notes,
      capacity: {
        serving: capacity.serving.length,
        coming: capacity.coming,
        idleUnusable: capacity.idleUnusable,
        draining: capacity.draining,
        idle: idle ?? null,
      },
    },
    scaleIn,
    warmPoolSize: poolPlan ? { ...poolPlan.record } : null,
    desired: decision.desired,
    action: decision.action,
    reason: scaleIn ? `${decision.reason}, taking idle ${scaleIn.instanceId}` : decision.reason,
    webhooksDesired,
    applied: false,
  };
  if (config.dryRun) return record;

  if (record.reconcile) {
    record.reconcile.actions = await applyReconcile({
      actions: plan.actions,
      autoScaling: clients.autoScaling,
      groupName: group.name,
      registry: inputs.registry,
    });
  }
  try {
    await applyDecision({
      config,
      clients,
      inputs,
      decision,
      webhooksDesired,
      time,
      plan,
      scaleIn,
      record,
      poolPlan,
    });
    record.applied = true;
  } catch (error) {
    record.error = describeError(error, error);
  }
  if (poolPlan && record.warmPoolSize) {
    await applyWarmPoolSize({ clients, inputs, plan: poolPlan, record });
  }
  return record;
}

/**
 * Writes the pool's new size after the scaling, and only if the scaling went
 * through: a failed run changes nothing more. A failed write is in the
 * record (`warmPoolSize.error`, and the run's `error`); the next run tries again.
 */
async function applyWarmPoolSize(options: {
  clients: AwsClients;
  inputs: Awaited<ReturnType<typeof gatherInputs>>;
  plan: WarmPoolSizePlan;
  record: DecisionRecord;
}): Promise<void> {
  const { clients, inputs, plan, record } = options;
  const sizeRecord = record.warmPoolSize!;
  if (!plan.record.change) return;
  if (!record.applied) {
    sizeRecord.reason = `${sizeRecord.reason}; not written: the run failed before it`;
    return;
  }
  const pool = inputs.warmPool!;
  const target = plan.record.target;
  try {
    await withContext(
      `PutWarmPool ${inputs.group.name} MaxGroupPreparedCapacity ${target ?? -1}`,
      () => putWarmPoolCapacity(clients.autoScaling, inputs.group.name, pool, target),
    );
    sizeRecord.applied = true;
  } catch (error) {
    sizeRecord.error = describeError(error, error);
    record.error ??= sizeRecord.error;
  }
}

async function applyDecision(options: {
  config: AutoscaleConfig;
  clients: AwsClients;
  inputs: Awaited<ReturnType<typeof gatherInputs>>;
  decision: Decision;
  webhooksDesired: number | null;
  time: Date;
  plan: ReconcilePlan;
  scaleIn: ScaleInChoice | null;
  record: DecisionRecord;
  poolPlan: WarmPoolSizePlan | null;
}): Promise<void> {
  const { config, clients, inputs, decision, webhooksDesired, time, plan, scaleIn } = options;
  const group = inputs.group;
  await withContext("PutMetricData StuckLaunches", () =>
    publishStuckLaunches(clients.cloudWatch, {
      environment: config.environment,
      count: plan.stuckLaunches.length,
      time,
    }),
  );
  const registry = inputs.registry;
  if (scaleIn && registry) {
    const { jobsAtTermination } = await scaleInMachine({
      choice: scaleIn,
      autoScaling: clients.autoScaling,
      registry,
    });
    if (options.record.scaleIn) options.record.scaleIn.jobsAtTermination = jobsAtTermination;
  } else if (decision.action !== "none") {
    await withContext(`SetDesiredCapacity ${group.name} to ${decision.desired}`, () =>
      setDesiredMachines(clients.autoScaling, group.name, decision.desired),
    );
  }
  // The service follows the group's desired count, also to repair drift after a manual change.
  if (config.webhooks && inputs.webhooks && webhooksDesired !== null) {
    const ref = config.webhooks;
    if (inputs.webhooks.desired !== webhooksDesired) {
      await withContext(`UpdateService ${ref.cluster}/${ref.service} to ${webhooksDesired}`, () =>
        setWebhooksTasks(clients.ecs, ref, webhooksDesired),
      );
    }
  }
  const lastAction =
    decision.action === "none"
      ? group.lastAction
      : `${time.toISOString()} ${decision.action} ${group.state.desired}->${decision.desired}`;
  // Tags are written only when they change, so a quiet run makes no write calls.
  const peaksTag = options.poolPlan?.historyTag;
  if (
    decision.memory.lowSince !== group.memory.lowSince ||
    lastAction !== group.lastAction ||
    !sameClocks(plan.disabledSince, group.disabledSince) ||
    (peaksTag !== undefined && peaksTag !== group.desiredPeaksTag)
  ) {
    await withContext(`CreateOrUpdateTags ${group.name}`, () =>
      saveGroupMemory(clients.autoScaling, group.name, {
        lowSince: decision.memory.lowSince,
        lastAction,
        disabledSince: plan.disabledSince,
        ...(peaksTag !== undefined ? { desiredPeaks: peaksTag } : {}),
      }),
    );
  }
}

function sameClocks(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Math.floor((a[k] ?? 0) / 1_000) === Math.floor((b[k] ?? -1) / 1_000))
  );
}

function baseRecord(config: AutoscaleConfig, time: Date, inputs: PartialInputs) {
  const group = inputs.group;
  return {
    time: time.toISOString(),
    environment: config.environment,
    dryRun: config.dryRun,
    inputs: {
      queues: inputs.queues ?? null,
      queued: inputs.queued ?? null,
      inFlight: inputs.inFlight ?? null,
      busyMachines: inputs.busyMachines ?? null,
      jobsPerMachine: config.jobsPerMachine,
      group: group ? { name: group.name, ...group.state } : null,
      warmPool: inputs.warmPool ?? null,
      lowSince:
        group?.memory.lowSince != null ? new Date(group.memory.lowSince).toISOString() : null,
      webhooks: inputs.webhooks ?? null,
    },
  };
}

function describeError(failure: unknown, whole: unknown): { name: string; message: string } {
  const name = failure instanceof Error ? failure.name : "Error";
  const message = whole instanceof Error ? whole.message : String(whole);
  return { name, message };
}
