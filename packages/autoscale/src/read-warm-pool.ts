import {
  type AutoScalingClient,
  type WarmPoolState as PoolState,
  paginateDescribeWarmPool,
} from "@aws-sdk/client-auto-scaling";

/** The machines group's warm pool as DescribeWarmPool answers it. */
export interface WarmPoolState {
  /** Instances initialised and ready to start into the group (the next launches are warm starts). */
  ready: number;
  /** Instances in the pool in any state (initialising, draining back into it, ready). */
  total: number;
  reuseOnScaleIn: boolean;
  /** The pool's MinSize. */
  minSize: number;
  /** MaxGroupPreparedCapacity; null when unset (AWS's default: the group's MaxSize). */
  maxPreparedCapacity: number | null;
  /** PoolState (Stopped, Running, Hibernated). */
  poolState: PoolState;
  /** Status PendingDelete: the pool is being deleted. */
  deleting: boolean;
  /**
   * Stopped (or hibernated) pool instances paused in Warmed:Terminating:Wait:
   * no agent runs on them to answer their TERMINATING hook.
   */
  stoppedAwaitingTermination: string[];
}

/**
 * Lifecycle states of a pool instance that has finished initialising and
 * waits to be started (API reference, Instance.LifecycleState). Only the
 * design's `Stopped` pool is expected; Hibernated and Running pools count too.
 */
const READY_STATES = new Set(["Warmed:Stopped", "Warmed:Hibernated", "Warmed:Running"]);

/** Pool states whose instances are not running (a Running pool's agents answer their own hooks). */
const STOPPED_POOL_STATES = new Set<PoolState>(["Stopped", "Hibernated"]);

/**
 * Reads the group's warm pool, every page (DescribeWarmPool returns at most 50
 * instances a call). Null when the group has none: AWS then answers without a
 * WarmPoolConfiguration. A pool marked for deletion (Status PendingDelete) is
 * being emptied, so nothing in it is counted as ready.
 */
export async function readWarmPool(
  client: AutoScalingClient,
  groupName: string,
): Promise<WarmPoolState | null> {
  let configured = false;
  let deleting = false;
  let reuseOnScaleIn = false;
  let ready = 0;
  let total = 0;
  let minSize = 0;
  let maxPreparedCapacity: number | null = null;
  let poolState: PoolState = "Stopped";
  const awaitingTermination: string[] = [];
  const pages = paginateDescribeWarmPool(
    { client, pageSize: 50 },
    { AutoScalingGroupName: groupName },
  );
  for await (const page of pages) {
    const configuration = page.WarmPoolConfiguration;
    if (configuration) {
      configured = true;
      deleting ||= configuration.Status === "PendingDelete";
      reuseOnScaleIn ||= configuration.InstanceReusePolicy?.ReuseOnScaleIn === true;
      minSize = configuration.MinSize ?? 0;
      // Absent or -1 (the API's "remove the value"): unset.
      const prepared = configuration.MaxGroupPreparedCapacity;
      maxPreparedCapacity = prepared === undefined || prepared < 0 ? null : prepared;
      poolState = configuration.PoolState ?? "Stopped";
    }
    for (const instance of page.Instances ?? []) {
      total += 1;
      const state = String(instance.LifecycleState ?? "");
      if (READY_STATES.has(state)) ready += 1;
      if (state === "Warmed:Terminating:Wait" && instance.InstanceId) {
        awaitingTermination.push(instance.InstanceId);
      }
    }
  }
  if (!configured) return null;
  return {
    ready: deleting ? 0 : ready,
    total,
    reuseOnScaleIn,
    minSize,
    maxPreparedCapacity,
    poolState,
    deleting,
    stoppedAwaitingTermination: STOPPED_POOL_STATES.has(poolState) ? awaitingTermination : [],
  };
}
