// The warm pool's size, set by this tool each run (PutWarmPool
// MaxGroupPreparedCapacity). Real: redis-server (testkit), loopback HTTP to a
// restyled.io stand-in (@restyled/testkit) and to the stateful Auto Scaling
// Query API stand-in (test/auto-scaling) that the real SDK client talks to.
// Stand-ins: Auto Scaling, restyled.io; CloudWatch, SSM and ECS through
// aws-sdk-client-mock.
import { PutWarmPoolCommand } from "@aws-sdk/client-auto-scaling";
import { silentLogger } from "@restyled/core/logger";
import { startRestyledApi } from "@restyled/testkit";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { readConfig } from "../src/config.js";
import { DESIRED_PEAKS_TAG } from "../src/machines-group.js";
import { runOnce } from "../src/run-once.js";
import { type AutoScalingStandIn, startAutoScalingStandIn } from "./auto-scaling/stand-in.js";
import { instanceId, mockAwsWithAutoScaling, uniqueName } from "./harness.js";

const NOW = Date.parse("2026-03-02T12:30:00Z");
const HOUR = 3_600_000;
const MIN = 60_000;
const TOKEN = "warm-pool-size-token";
const redis = createClient({ url: inject("redisUrl") });
beforeAll(() => redis.connect().then(() => undefined));
afterAll(() => redis.close());
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const id = instanceId;
const stopped = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: id(100 + i), state: "Warmed:Stopped" }));

/**
 * The desired-peaks tag for the 24 hours up to NOW's, oldest first: the given
 * peaks in the oldest hours, 1 in the others (written by hand, not with the
 * source's formatter, so a wrong format fails here).
 */
function dayOfPeaks(peaks: number[]): string {
  const oldest = Math.floor(NOW / HOUR) * HOUR - 23 * HOUR;
  const values = Array.from({ length: 24 }, (_, i) => peaks[i] ?? 1);
  return `${oldest / 1_000}:${values.join(",")}`;
}

/** One idle machine in service in a group of max 8, nothing queued, the warm pool and tags given. */
async function fleet(options: {
  warmPool?: Parameters<AutoScalingStandIn["addGroup"]>[0]["warmPool"];
  tags?: Record<string, string>;
  env?: Record<string, string>;
  queued?: number;
}) {
  const asg = await startAutoScalingStandIn();
  const registry = await startRestyledApi({ token: TOKEN });
  open.push(asg, registry);
  const aws = mockAwsWithAutoScaling(asg);
  const group = uniqueName("machines");
  asg.addGroup({
    name: group,
    min: 1,
    max: 8,
    instances: [{ id: id(1), launchedAt: NOW - 100 * MIN }],
    warmPool: options.warmPool,
    tags: options.tags,
  });
  registry.seedMachine({ name: `restyled-test-${id(1)}`, jobCount: 0 });
  const queue = uniqueName("test:queue");
  if (options.queued) {
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
    ...options.env,
  });
  const run = (overrides: { dryRun?: boolean } = {}) =>
    runOnce({
      config: { ...config, ...overrides },
      clients: aws.clients,
      logger: silentLogger(),
      now: () => NOW,
    });
  return { asg, group, run, client: aws.clients.autoScaling };
}

describe("the warm pool's size, set each run", () => {
  it("keeps AWS's default pool until it has a day of history, and starts recording it", async () => {
    const { asg, group, run } = await fleet({ warmPool: { instances: stopped(7) } });
    const record = await run();
    expect(record.error).toBeUndefined();
    expect(record.warmPoolSize).toMatchObject({
      peak: null,
      current: null,
      target: null,
      poolSize: 7,
      change: false,
      applied: false,
    });
    expect(record.warmPoolSize?.reason).toMatch(
      /^no 1d of history yet: AWS's default pool \(MaxSize 8 - desired 1\)/,
    );
    expect(asg.writes().map((c) => c.Action)).toEqual(["CreateOrUpdateTags"]);
    const hour = Math.floor(NOW / HOUR) * HOUR;
    expect(asg.groups.get(group)?.tags.get(DESIRED_PEAKS_TAG)).toBe(`${hour / 1_000}:1`);
    expect(asg.groups.get(group)?.warmPool?.instances).toHaveLength(7);
  });

  it("shrinks the pool to the day's peak + 2 - desired: surplus terminated, settings kept", async () => {
    const { asg, group, run } = await fleet({
      warmPool: { instances: stopped(7), minSize: 0, reuseOnScaleIn: true },
      tags: { [DESIRED_PEAKS_TAG]: dayOfPeaks([1, 3, 2]) },
    });
    const record = await run();
    expect(record.error).toBeUndefined();
    expect(record.warmPoolSize).toEqual({
      peak: 3,
      current: null,
      target: 5,
      poolSize: 4,
      reason:
        "the group's peak in the last 1d was 3, 1 desired now: prepared capacity 3 + 2 headroom = 5, so 4 kept warm",
      change: true,
      applied: true,
    });
    const puts = asg.writes().filter((c) => c.Action === "PutWarmPool");
    expect(puts).toEqual([
      expect.objectContaining({
        AutoScalingGroupName: group,
        MaxGroupPreparedCapacity: "5",
        MinSize: "0",
        PoolState: "Stopped",
        "InstanceReusePolicy.ReuseOnScaleIn": "true",
      }),
    ]);
    const pool = asg.groups.get(group)!.warmPool!;
    expect(pool.maxGroupPreparedCapacity).toBe(5);
    expect(pool.instances.map((i) => i.id)).toEqual([id(103), id(104), id(105), id(106)]);
    expect(pool.reuseOnScaleIn).toBe(true);
    // The next run finds it set and writes nothing more to the pool.
    const again = await run();
    expect(again.warmPoolSize).toMatchObject({ current: 5, target: 5, change: false });
    expect(again.warmPoolSize?.reason).toMatch(/\(already set\)$/);
    expect(asg.writes().filter((c) => c.Action === "PutWarmPool")).toHaveLength(1);
  });

  it("grows the pool for a higher peak (new instances initialise) and caps it at the group's max", async () => {
    const { asg, group, run } = await fleet({
      warmPool: { instances: stopped(1), maxGroupPreparedCapacity: 2 },
      tags: { [DESIRED_PEAKS_TAG]: dayOfPeaks([7]) },
    });
    const record = await run();
    expect(record.warmPoolSize).toMatchObject({ peak: 7, current: 2, target: 8, poolSize: 7 });
    expect(record.warmPoolSize?.reason).toMatch(
      /prepared capacity 7 \+ 2 headroom, capped at max 8 = 8/,
    );
    const pool = asg.groups.get(group)!.warmPool!;
    expect(pool.instances.map((i) => i.lifecycleState)).toEqual([
      "Warmed:Stopped",
      ...Array(6).fill("Warmed:Pending"),
    ]);
  });

  it("goes back to AWS's default (-1) when the history is lost but a size is set", async () => {
    const { asg, group, run } = await fleet({
      warmPool: { instances: stopped(2), maxGroupPreparedCapacity: 3 },
      tags: { [DESIRED_PEAKS_TAG]: "garbled" },
    });
    const record = await run();
    expect(record.warmPoolSize).toMatchObject({
      peak: null,
      current: 3,
      target: null,
      change: true,
      applied: true,
    });
    expect(asg.writes().find((c) => c.Action === "PutWarmPool")?.MaxGroupPreparedCapacity).toBe(
      "-1",
    );
    const pool = asg.groups.get(group)!.warmPool!;
    expect(pool.maxGroupPreparedCapacity).toBeUndefined();
    expect(pool.instances).toHaveLength(7);
  });

  it("changes nothing on a dry run, and says what it would set", async () => {
    const { asg, group, run } = await fleet({
      warmPool: { instances: stopped(7) },
      tags: { [DESIRED_PEAKS_TAG]: dayOfPeaks([3]) },
    });
    const record = await run({ dryRun: true });
    expect(record.warmPoolSize).toMatchObject({ target: 5, change: true, applied: false });
    expect(asg.writes()).toEqual([]);
    expect(asg.groups.get(group)?.warmPool?.instances).toHaveLength(7);
  });

  it("records a failed PutWarmPool, leaving the pool as it was", async () => {
    const { asg, group, run } = await fleet({
      warmPool: { instances: stopped(7) },
      tags: { [DESIRED_PEAKS_TAG]: dayOfPeaks([3]) },
    });
    asg.denied.add("PutWarmPool");
    const record = await run();
    expect(record.warmPoolSize).toMatchObject({ target: 5, change: true, applied: false });
    expect(record.warmPoolSize?.error?.message).toMatch(
      /PutWarmPool .* MaxGroupPreparedCapacity 5 failed \(AccessDenied\)/,
    );
    expect(record.error).toEqual(record.warmPoolSize?.error);
    const pool = asg.groups.get(group)!.warmPool!;
    expect(pool.maxGroupPreparedCapacity).toBeUndefined();
    expect(pool.instances).toHaveLength(7);
  });

  it("does not write the pool when the run failed before it", async () => {
    // 30 queued for 1 idle machine: a scale-out, which the role may not make.
    const { asg, group, run } = await fleet({
      queued: 30,
      warmPool: { instances: stopped(7) },
      tags: { [DESIRED_PEAKS_TAG]: dayOfPeaks([3]) },
    });
    asg.denied.add("SetDesiredCapacity");
    const record = await run();
    expect(record).toMatchObject({ action: "scale-out", applied: false });
    expect(record.error?.message).toMatch(/SetDesiredCapacity .* failed \(AccessDenied\)/);
    expect(record.warmPoolSize).toMatchObject({ change: true, applied: false });
    expect(record.warmPoolSize?.reason).toMatch(/not written: the run failed before it$/);
    expect(asg.calls.filter((c) => c.Action === "PutWarmPool")).toEqual([]);
    expect(asg.groups.get(group)?.warmPool?.instances).toHaveLength(7);
  });

  it.each([
    ["the group has no warm pool", undefined, {}],
    [
      "the sizing is off (--warm-pool-sizing aws-default)",
      { instances: stopped(7) },
      { WARM_POOL_SIZING: "aws-default" },
    ],
  ])("leaves the group untouched when %s", async (_, warmPool, env) => {
    const { asg, group, run } = await fleet({
      warmPool,
      env,
      tags: { [DESIRED_PEAKS_TAG]: dayOfPeaks([3]) },
    });
    const record = await run();
    expect(record.error).toBeUndefined();
    expect(record.warmPoolSize).toBeNull();
    expect(asg.writes()).toEqual([]);
    expect(asg.groups.get(group)?.tags.get(DESIRED_PEAKS_TAG)).toBe(dayOfPeaks([3]));
  });

  it("leaves a pool being deleted alone", async () => {
    const { asg, run } = await fleet({
      warmPool: { instances: stopped(3), status: "PendingDelete" },
      tags: { [DESIRED_PEAKS_TAG]: dayOfPeaks([3]) },
    });
    const record = await run();
    expect(record.warmPoolSize).toMatchObject({ change: false, applied: false });
    expect(record.warmPoolSize?.reason).toMatch(/PendingDelete/);
    expect(asg.calls.filter((c) => c.Action === "PutWarmPool")).toEqual([]);
  });
});

describe("the stand-in's PutWarmPool, as strict as the API reference", () => {
  it("refuses a MaxGroupPreparedCapacity below -1 and a negative MinSize, changing nothing", async () => {
    const { asg, group, client } = await fleet({ warmPool: { instances: stopped(2) } });
    await expect(
      client.send(
        new PutWarmPoolCommand({ AutoScalingGroupName: group, MaxGroupPreparedCapacity: -2 }),
      ),
    ).rejects.toThrow(/MaxGroupPreparedCapacity -2 must be an integer of at least -1/);
    await expect(
      client.send(new PutWarmPoolCommand({ AutoScalingGroupName: group, MinSize: -1 })),
    ).rejects.toThrow(/MinSize -1 must be an integer of at least 0/);
    expect(asg.groups.get(group)?.warmPool?.instances).toHaveLength(2);
  });
});
