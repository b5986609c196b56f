// Real: redis-server (testkit), loopback HTTP to a restyled.io stand-in
// (@restyled/testkit) and to the stateful Auto Scaling Query API stand-in
// (test/auto-scaling) that the real SDK client and its DescribeWarmPool
// paginator talk to. Stand-ins: Auto Scaling, restyled.io; CloudWatch, SSM
// and ECS through aws-sdk-client-mock.
import { silentLogger } from "@restyled/core/logger";
import { startRestyledApi } from "@restyled/testkit";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { readConfig } from "../src/config.js";
import { LOW_SINCE_TAG } from "../src/machines-group.js";
import { REUSE_NOTE, runOnce } from "../src/run-once.js";
import { type AutoScalingStandIn, startAutoScalingStandIn } from "./auto-scaling/stand-in.js";
import { instanceId, mockAwsWithAutoScaling, uniqueName } from "./harness.js";

const NOW = Date.parse("2026-03-02T12:00:00Z");
const MIN = 60_000;
const TOKEN = "warm-pool-token";
const redis = createClient({ url: inject("redisUrl") });
beforeAll(() => redis.connect().then(() => undefined));
afterAll(() => redis.close());
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const id = instanceId;

/** One idle machine in service (or those given), `queued` jobs waiting, and the warm pool given (or none). */
async function fleet(options: {
  queued: number;
  warmPool?: Parameters<AutoScalingStandIn["addGroup"]>[0]["warmPool"];
  instances?: Array<{ n: number; jobs: number; state?: string }>;
  lowSinceMs?: number;
}) {
  const asg = await startAutoScalingStandIn();
  const registry = await startRestyledApi({ token: TOKEN });
  open.push(asg, registry);
  const aws = mockAwsWithAutoScaling(asg);
  const group = uniqueName("machines");
  const queue = uniqueName("test:queue");
  const instances = options.instances ?? [{ n: 1, jobs: 0 }];
  asg.addGroup({
    name: group,
    min: 1,
    max: 5,
    instances: instances.map((i) => ({
      id: id(i.n),
      state: i.state,
      launchedAt: NOW - (100 - i.n) * MIN,
    })),
    warmPool: options.warmPool,
    tags:
      options.lowSinceMs === undefined
        ? {}
        : { [LOW_SINCE_TAG]: new Date(NOW - options.lowSinceMs).toISOString() },
  });
  const machines = new Map(
    instances
      .filter((i) => i.state === undefined)
      .map((i) => [
        i.n,
        registry.seedMachine({ name: `restyled-test-${id(i.n)}`, jobCount: i.jobs }),
      ]),
  );
  if (options.queued > 0) {
    await redis.lPush(
      queue,
      Array.from({ length: options.queued }, (_, i) => `job-${i}`),
    );
  }
  const config = readConfig({
    RESTYLED_ENV: "test",
    REDIS_URL: inject("redisUrl"),
    RESTYLER_QUEUES: queue,
    MACHINES_GROUP_NAME: group,
    RESTYLED_URL: registry.url,
    RESTYLED_API_TOKEN: TOKEN,
  });
  const run = (overrides: { dryRun?: boolean } = {}) =>
    runOnce({
      config: { ...config, ...overrides },
      clients: aws.clients,
      logger: silentLogger(),
      now: () => NOW,
    });
  return { asg, group, run, registry, machines };
}

const ready = (n: number, state = "Warmed:Stopped") =>
  Array.from({ length: n }, (_, i) => ({ id: id(100 + i), state }));

describe("the warm pool, read with DescribeWarmPool", () => {
  it("sizes for a warm start while instances are ready, and shows the pool in the record", async () => {
    // 10 queued, 1 idle machine: within a 3m boot it gets 12 going (no scale-out);
    // within a 1m warm start only 6, so 4 need 2 more machines.
    const { asg, group, run } = await fleet({
      queued: 10,
      warmPool: { instances: [...ready(2), { id: id(200), state: "Warmed:Pending" }] },
    });
    const record = await run();
    expect(record.error).toBeUndefined();
    expect(record.inputs.warmPool).toEqual({
      ready: 2,
      total: 3,
      reuseOnScaleIn: true,
      minSize: 0,
      maxPreparedCapacity: null,
      poolState: "Stopped",
      deleting: false,
      stoppedAwaitingTermination: [],
    });
    expect(record).toMatchObject({ action: "scale-out", desired: 3, applied: true });
    expect(record.reason).toMatch(/within a 1m warm start \(2 ready in the warm pool\)/);
    expect(asg.groups.get(group)?.desired).toBe(3);
  });

  it("behaves as without a pool when the group has none (no WarmPoolConfiguration)", async () => {
    const { asg, run } = await fleet({ queued: 10 });
    const record = await run();
    expect(record.error).toBeUndefined();
    expect(record.inputs.warmPool).toBeNull();
    expect(record).toMatchObject({ action: "none", desired: 1 });
    expect(record.reason).toMatch(/within a 3m boot/);
    expect(record.reason).not.toMatch(/warm/);
    expect(asg.writes().filter((c) => c.Action === "SetDesiredCapacity")).toEqual([]);
    expect(asg.calls.filter((c) => c.Action === "DescribeWarmPool")).toHaveLength(1);
  });

  it("counts nothing as ready in a pool being deleted, or still initialising", async () => {
    const deleting = await fleet({
      queued: 10,
      warmPool: { status: "PendingDelete", instances: ready(3) },
    });
    const first = await deleting.run();
    expect(first.inputs.warmPool).toMatchObject({ ready: 0, total: 3, deleting: true });
    expect(first.action).toBe("none");
    const pending = await fleet({
      queued: 10,
      warmPool: { instances: ready(2, "Warmed:Pending:Wait") },
    });
    const second = await pending.run();
    expect(second.inputs.warmPool).toMatchObject({ ready: 0, total: 2, deleting: false });
    expect(second.action).toBe("none");
  });

  it("reads every page of a pool larger than one answer (50 instances)", async () => {
    const { asg, run } = await fleet({
      queued: 0,
      warmPool: {
        reuseOnScaleIn: false,
        instances: [...ready(52), ...ready(3, "Warmed:Hibernated"), ...ready(2, "Warmed:Pending")],
      },
    });
    const record = await run();
    expect(record.inputs.warmPool).toMatchObject({ ready: 55, total: 57, reuseOnScaleIn: false });
    const reads = asg.calls.filter((c) => c.Action === "DescribeWarmPool");
    expect(reads.map((c) => c.NextToken)).toEqual([undefined, "50"]);
  });

  it("takes no action at all when the warm pool cannot be read", async () => {
    const { asg, group, run } = await fleet({ queued: 10, warmPool: { instances: ready(2) } });
    asg.denied.add("DescribeWarmPool");
    const record = await run();
    expect(record).toMatchObject({ action: "none", applied: false, reconcile: null });
    expect(record.inputs.warmPool).toBeNull();
    expect(record.error?.message).toMatch(
      /DescribeWarmPool .* failed \(AccessDenied\): User is not authorized to perform: autoscaling:DescribeWarmPool/,
    );
    expect(asg.writes()).toEqual([]);
    expect(asg.groups.get(group)?.desired).toBe(1);
  });

  it.each([
    ["takes scaled-in instances back", true],
    ["terminates scaled-in instances", false],
  ])("scales in by terminating the chosen idle machine when the pool %s", async (_, reuse) => {
    const { asg, group, run, registry, machines } = await fleet({
      queued: 0,
      lowSinceMs: 11 * MIN,
      warmPool: { reuseOnScaleIn: reuse, instances: ready(1) },
      instances: [
        { n: 1, jobs: 2 },
        { n: 2, jobs: 0 },
        { n: 3, jobs: 1 },
      ],
    });
    const record = await run();
    expect(record).toMatchObject({
      action: "scale-in",
      desired: 2,
      applied: true,
      scaleIn: { instanceId: id(2), jobsAtTermination: 0 },
    });
    expect(registry.machines.get(machines.get(2)!.id)?.enabled).toBe(false);
    expect(asg.calls.find((c) => c.Action === "TerminateInstanceInAutoScalingGroup")).toMatchObject(
      {
        InstanceId: id(2),
        ShouldDecrementDesiredCapacity: "true",
      },
    );
    expect(asg.writes().map((c) => c.Action)).not.toContain("SetInstanceProtection");
    expect(asg.groups.get(group)?.desired).toBe(2);
    // Reuse would register the same machine name again after a warm start.
    expect(record.reconcile?.notes.includes(REUSE_NOTE)).toBe(reuse);
  });

  it("completes the TERMINATING hook of stopped pool instances at once: no agent runs to answer it", async () => {
    const { asg, group, run } = await fleet({
      queued: 0,
      warmPool: {
        instances: [
          ...ready(1),
          { id: id(300), state: "Warmed:Terminating:Wait" },
          { id: id(301), state: "Warmed:Terminating:Wait" },
        ],
      },
    });
    const dry = await run({ dryRun: true });
    expect(dry.reconcile?.actions).toMatchObject([
      { kind: "complete-lifecycle-action", instanceId: id(300), applied: false },
      { kind: "complete-lifecycle-action", instanceId: id(301), applied: false },
    ]);
    expect(asg.writes()).toEqual([]);

    const record = await run();
    expect(record.error).toBeUndefined();
    expect(record.reconcile?.actions).toMatchObject([
      { kind: "complete-lifecycle-action", instanceId: id(300), applied: true },
      { kind: "complete-lifecycle-action", instanceId: id(301), applied: true },
    ]);
    expect(
      asg.calls.filter((c) => c.Action === "CompleteLifecycleAction").map((c) => c.InstanceId),
    ).toEqual([id(300), id(301)]);
    expect(asg.groups.get(group)?.warmPool?.instances.map((i) => i.id)).toEqual([id(100)]);
  });

  it("leaves a Running pool's terminating instances to their own agents", async () => {
    const { asg, run } = await fleet({
      queued: 0,
      warmPool: {
        poolState: "Running",
        instances: [{ id: id(300), state: "Warmed:Terminating:Wait" }],
      },
    });
    const record = await run();
    expect(record.reconcile?.actions).toEqual([]);
    expect(asg.calls.map((c) => c.Action)).not.toContain("CompleteLifecycleAction");
  });
});
