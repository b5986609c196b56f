// Real: redis-server (testkit), loopback HTTP to a restyled.io stand-in
// (@restyled/testkit) and to a stateful Auto Scaling Query API stand-in that
// the real SDK client talks to (test/auto-scaling). Stand-ins: Auto Scaling,
// restyled.io; CloudWatch, SSM and ECS through aws-sdk-client-mock.
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { silentLogger } from "@restyled/core/logger";
import { type RestyledApiStandIn, startRestyledApi } from "@restyled/testkit";
import { afterEach, describe, expect, inject, it } from "vitest";
import { readConfig } from "../src/config.js";
import { DISABLED_SINCE_TAG, LOW_SINCE_TAG } from "../src/machines-group.js";
import { runOnce } from "../src/run-once.js";
import { type AutoScalingStandIn, startAutoScalingStandIn } from "./auto-scaling/stand-in.js";
import { instanceId, mockAwsWithAutoScaling, uniqueName } from "./harness.js";

const NOW = Date.parse("2026-03-02T12:00:00Z");
const MIN = 60_000;
const TOKEN = "reconcile-token";
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const id = instanceId;
const nameOf = (n: number) => `restyled-test-${id(n)}`;

async function fleet(env: Record<string, string> = {}) {
  const asg: AutoScalingStandIn = await startAutoScalingStandIn();
  const registry: RestyledApiStandIn = await startRestyledApi({ token: TOKEN });
  open.push(asg, registry);
  const aws = mockAwsWithAutoScaling(asg);
  const group = uniqueName("machines");
  const config = readConfig({
    RESTYLED_ENV: "test",
    REDIS_URL: inject("redisUrl"),
    RESTYLER_QUEUES: uniqueName("test:queue"),
    MACHINES_GROUP_NAME: group,
    RESTYLED_URL: registry.url,
    RESTYLED_API_TOKEN: TOKEN,
    ...env,
  });
  const run = (overrides: Partial<typeof config> = {}) =>
    runOnce({
      config: { ...config, ...overrides },
      clients: aws.clients,
      logger: silentLogger(),
      now: () => NOW,
    });
  /** Everything that changed infrastructure or the registry. */
  const changes = () => [
    ...asg.writes().map((c) => c.Action),
    ...registry.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.url}`),
    ...aws.mocks.cloudWatch.commandCalls(PutMetricDataCommand).map(() => "PutMetricData"),
  ];
  return { asg, registry, aws, group, run, changes };
}

describe("reconcile, before sizing", () => {
  it("marks Unhealthy an instance in service past the boot grace with no machine, and nothing else", async () => {
    const { asg, registry, group, run } = await fleet();
    asg.addGroup({
      name: group,
      instances: [
        { id: id(1), launchedAt: NOW - 60 * MIN },
        { id: id(2), launchedAt: NOW - 11 * MIN },
      ],
    });
    registry.seedMachine({ name: nameOf(1) });
    const record = await run();
    expect(record.error).toBeUndefined();
    expect(record.reconcile?.actions).toEqual([
      {
        kind: "mark-unhealthy",
        instanceId: id(2),
        reason: expect.stringMatching(
          /in service 11m after launch with no machine restyled-test-i-0\d+2 registered/,
        ),
        applied: true,
      },
    ]);
    expect(asg.groups.get(group)?.instances.map((i) => i.health)).toEqual(["Healthy", "Unhealthy"]);
    const call = asg.calls.find((c) => c.Action === "SetInstanceHealth");
    expect(call).toMatchObject({
      InstanceId: id(2),
      HealthStatus: "Unhealthy",
      ShouldRespectGracePeriod: "false",
    });
    // Its replacement is capacity on the way, not a reason to scale out.
    expect(record).toMatchObject({
      action: "none",
      reconcile: { capacity: { serving: 1, coming: 1 } },
    });
  });

  it("leaves an instance inside the boot grace alone: it may still register", async () => {
    const { asg, registry, group, run, changes } = await fleet();
    asg.addGroup({
      name: group,
      instances: [
        { id: id(1), launchedAt: NOW - 60 * MIN },
        { id: id(2), launchedAt: NOW - 4 * MIN },
      ],
    });
    registry.seedMachine({ name: nameOf(1) });
    const record = await run();
    expect(record.reconcile?.actions).toEqual([]);
    expect(asg.groups.get(group)?.instances.every((i) => i.health === "Healthy")).toBe(true);
    expect(changes().filter((c) => c !== "PutMetricData")).toEqual(["CreateOrUpdateTags"]); // low-since clock only
  });

  it("starts a disabled machine's clock in the group's tag, then replaces its instance once past the grace", async () => {
    const { asg, registry, group, run } = await fleet();
    asg.addGroup({ name: group, instances: [{ id: id(1), launchedAt: NOW - 60 * MIN }] });
    registry.seedMachine({ name: nameOf(1), enabled: false });

    const first = await run();
    expect(first.reconcile?.actions).toEqual([]);
    const tag = asg.groups.get(group)?.tags.get(DISABLED_SINCE_TAG);
    expect(tag).toBe(`${id(1)}=${NOW / 1_000}`);

    // Six minutes later (the tag says so), past the 5m grace.
    asg.groups.get(group)?.tags.set(DISABLED_SINCE_TAG, `${id(1)}=${(NOW - 6 * MIN) / 1_000}`);
    const second = await run();
    expect(second.reconcile?.actions).toEqual([
      expect.objectContaining({
        kind: "mark-unhealthy",
        instanceId: id(1),
        applied: true,
        reason: expect.stringMatching(/disabled for 6m/),
      }),
    ]);
    expect(asg.groups.get(group)?.instances[0]?.health).toBe("Unhealthy");
    expect(asg.groups.get(group)?.tags.get(DISABLED_SINCE_TAG)).toBe("");
  });

  it("takes no action for a machine that recovered inside the grace, and forgets its clock", async () => {
    const { asg, registry, group, run, changes } = await fleet();
    asg.addGroup({
      name: group,
      instances: [{ id: id(1), launchedAt: NOW - 60 * MIN }],
      tags: {
        [DISABLED_SINCE_TAG]: `${id(1)}=${(NOW - 4 * MIN) / 1_000}`,
        [LOW_SINCE_TAG]: new Date(NOW).toISOString(),
      },
    });
    registry.seedMachine({ name: nameOf(1), enabled: true });
    const record = await run();
    expect(record.reconcile?.actions).toEqual([]);
    expect(changes().filter((c) => c !== "PutMetricData")).toEqual(["CreateOrUpdateTags"]);
    expect(asg.groups.get(group)?.tags.get(DISABLED_SINCE_TAG)).toBe("");
    expect(asg.groups.get(group)?.instances[0]?.health).toBe("Healthy");
  });

  it("de-registers a ghost: a machine of this environment whose instance is gone", async () => {
    const { asg, registry, group, run } = await fleet();
    asg.addGroup({ name: group, instances: [{ id: id(1), launchedAt: NOW - 60 * MIN }] });
    registry.seedMachine({ name: nameOf(1) });
    const ghost = registry.seedMachine({ name: nameOf(9) });
    const other = registry.seedMachine({ name: "restyled-prod-i-0123456789abcdef0" });
    const record = await run();
    expect(record.reconcile?.actions).toEqual([
      {
        kind: "deregister",
        machineId: ghost.id,
        name: nameOf(9),
        reason: `instance ${id(9)} is no longer in the group`,
        applied: true,
      },
    ]);
    expect(registry.machines.has(ghost.id)).toBe(false);
    expect(registry.machines.has(other.id)).toBe(true);
  });

  it("completes the lifecycle action of a termination whose agent is gone, by instance id", async () => {
    const { asg, registry, group, run } = await fleet();
    asg.addGroup({
      name: group,
      desired: 1,
      instances: [
        { id: id(1), launchedAt: NOW - 90 * MIN },
        {
          id: id(2),
          state: "Terminating:Wait",
          launchedAt: NOW - 90 * MIN,
          terminatingSince: NOW - 21 * MIN,
        },
        {
          id: id(3),
          state: "Terminating:Wait",
          launchedAt: NOW - 90 * MIN,
          terminatingSince: NOW - 21 * MIN,
        },
      ],
    });
    registry.seedMachine({ name: nameOf(1) });
    registry.seedMachine({ name: nameOf(3), enabled: false, jobCount: 1 }); // still draining a job
    const record = await run();
    expect(record.reconcile?.actions).toEqual([
      expect.objectContaining({
        kind: "complete-lifecycle-action",
        instanceId: id(2),
        hook: `${group}-terminating`,
        applied: true,
      }),
    ]);
    expect(record.reconcile?.notes).toEqual([
      expect.stringMatching(/i-0\d+3: terminating for 21m but its machine is still running 1 job/),
    ]);
    expect(asg.calls.find((c) => c.Action === "CompleteLifecycleAction")).toMatchObject({
      AutoScalingGroupName: group,
      LifecycleHookName: `${group}-terminating`,
      InstanceId: id(2),
      LifecycleActionResult: "CONTINUE",
    });
    expect(asg.groups.get(group)?.instances.map((i) => i.id)).toEqual([id(1), id(3)]);
  });

  it("reports a stuck launch in the record and the StuckLaunches metric", async () => {
    const { asg, registry, aws, group, run } = await fleet();
    asg.addGroup({
      name: group,
      desired: 3,
      instances: [
        { id: id(1), launchedAt: NOW - 60 * MIN },
        { id: id(2), state: "Pending:Wait", launchedAt: NOW - 16 * MIN },
      ],
    });
    asg.addActivity(group, {
      description:
        "Launching a new EC2 instance.  Status Reason: We currently do not have sufficient t3.medium capacity.",
      start: new Date(NOW - 1 * MIN),
      status: "Failed",
      statusMessage: "We currently do not have sufficient t3.medium capacity.",
    });
    registry.seedMachine({ name: nameOf(1) });
    const record = await run();
    expect(record.reconcile?.stuckLaunches).toEqual([
      {
        instanceId: id(2),
        reason: `${id(2)} launched 16m ago and is still Pending:Wait (bound 15m)`,
      },
      {
        instanceId: null,
        reason: expect.stringMatching(
          /^1 instance\(s\) short of desired 3; the latest launch failed 1m ago: We currently do not have sufficient/,
        ),
      },
    ]);
    const stuck = aws.mocks.cloudWatch
      .commandCalls(PutMetricDataCommand)
      .flatMap((c) => c.args[0].input.MetricData ?? [])
      .find((d) => d.MetricName === "StuckLaunches");
    expect(stuck).toMatchObject({
      Value: 2,
      Unit: "Count",
      Dimensions: [{ Name: "Environment", Value: "test" }],
    });
  });

  it("on --dry-run plans every repair and changes nothing", async () => {
    const { asg, registry, group, run, changes } = await fleet();
    asg.addGroup({
      name: group,
      instances: [
        { id: id(1), launchedAt: NOW - 60 * MIN },
        {
          id: id(2),
          state: "Terminating:Wait",
          launchedAt: NOW - 90 * MIN,
          terminatingSince: NOW - 30 * MIN,
        },
      ],
    });
    registry.seedMachine({ name: nameOf(9) });
    const record = await run({ dryRun: true });
    expect(record.reconcile?.actions.map((a) => [a.kind, a.applied])).toEqual([
      ["mark-unhealthy", false],
      ["complete-lifecycle-action", false],
      ["deregister", false],
    ]);
    expect(changes()).toEqual([]);
    expect(registry.machines.size).toBe(1);
    expect(asg.groups.get(group)?.instances.map((i) => [i.lifecycleState, i.health])).toEqual([
      ["InService", "Healthy"],
      ["Terminating:Wait", "Healthy"],
    ]);
  });

  it.each([
    ["Auto Scaling's activities cannot be read", "DescribeScalingActivities"],
    ["the lifecycle hooks cannot be read", "DescribeLifecycleHooks"],
  ])("takes no action at all when %s", async (_, action) => {
    const { asg, registry, group, run, changes } = await fleet();
    asg.addGroup({ name: group, instances: [{ id: id(1), launchedAt: NOW - 60 * MIN }] });
    registry.seedMachine({ name: nameOf(9) });
    asg.denied.add(action);
    const record = await run();
    expect(record).toMatchObject({ action: "none", applied: false, reconcile: null });
    expect(record.error?.message).toMatch(
      new RegExp(
        `${action} .* failed \\(AccessDenied\\): User is not authorized to perform: autoscaling:${action}`,
      ),
    );
    expect(changes().filter((c) => c !== "PutMetricData")).toEqual([]);
    expect(registry.machines.size).toBe(1);
  });

  it("takes no action at all when restyled.io's machines cannot be read", async () => {
    const { asg, registry, group, run, changes } = await fleet({ RESTYLED_API_TOKEN: "wrong" });
    asg.addGroup({ name: group, instances: [{ id: id(1), launchedAt: NOW - 60 * MIN }] });
    const record = await run();
    expect(record).toMatchObject({ action: "none", applied: false, reconcile: null });
    expect(record.error?.message).toMatch(/answered 404: .*the restyled.io API token is wrong/);
    expect(changes().filter((c) => c !== "PutMetricData")).toEqual([]);
    expect(registry.machines.size).toBe(0);
    expect(asg.groups.get(group)?.instances[0]?.health).toBe("Healthy");
  });
});

describe("scaling on true capacity", () => {
  it("scales in by disabling and terminating the idle machine, never the busy one", async () => {
    const { asg, registry, group, run } = await fleet();
    asg.addGroup({
      name: group,
      instances: [1, 2, 3].map((n) => ({ id: id(n), launchedAt: NOW - (100 - n) * MIN })),
      tags: { [LOW_SINCE_TAG]: new Date(NOW - 11 * MIN).toISOString() },
    });
    registry.seedMachine({ name: nameOf(1), jobCount: 2 });
    const idle = registry.seedMachine({ name: nameOf(2) });
    registry.seedMachine({ name: nameOf(3), jobCount: 1 });
    const record = await run();
    expect(record).toMatchObject({
      action: "scale-in",
      desired: 2,
      applied: true,
      scaleIn: { instanceId: id(2), machineId: idle.id, jobsAtTermination: 0 },
    });
    expect(registry.machines.get(idle.id)?.enabled).toBe(false);
    expect(asg.calls.find((c) => c.Action === "TerminateInstanceInAutoScalingGroup")).toMatchObject(
      {
        InstanceId: id(2),
        ShouldDecrementDesiredCapacity: "true",
      },
    );
    expect(asg.calls.some((c) => c.Action === "SetDesiredCapacity")).toBe(false);
    const state = asg.groups.get(group)!;
    expect(state.desired).toBe(2);
    expect(state.instances.map((i) => [i.id, i.lifecycleState])).toEqual([
      [id(1), "InService"],
      [id(2), "Terminating:Wait"],
      [id(3), "InService"],
    ]);
  });

  it("enables the machine again when the termination is refused", async () => {
    const { asg, registry, group, run } = await fleet();
    asg.addGroup({
      name: group,
      min: 1,
      instances: [1, 2].map((n) => ({ id: id(n), launchedAt: NOW - 90 * MIN })),
      tags: { [LOW_SINCE_TAG]: new Date(NOW - 11 * MIN).toISOString() },
    });
    registry.seedMachine({ name: nameOf(1) });
    registry.seedMachine({ name: nameOf(2) });
    asg.denied.add("TerminateInstanceInAutoScalingGroup");
    const record = await run();
    expect(record).toMatchObject({ action: "scale-in", applied: false });
    expect(record.error?.message).toMatch(
      /TerminateInstanceInAutoScalingGroup .* failed \(AccessDenied\)/,
    );
    expect([...registry.machines.values()].every((m) => m.enabled)).toBe(true);
    expect(asg.groups.get(group)?.desired).toBe(2);
  });

  it("scales out while another instance drains", async () => {
    const { asg, registry, group, run } = await fleet();
    asg.addGroup({
      name: group,
      desired: 1,
      instances: [
        { id: id(1), launchedAt: NOW - 90 * MIN },
        {
          id: id(2),
          state: "Terminating:Wait",
          launchedAt: NOW - 90 * MIN,
          terminatingSince: NOW - 2 * MIN,
        },
      ],
    });
    registry.seedMachine({ name: nameOf(1), jobCount: 3 });
    registry.seedMachine({ name: nameOf(2), enabled: false, jobCount: 2 });
    registry.queueDepth = null;
    const record = await run({ bootDelayMs: 0 });
    // 3 running, nothing queued: no scale-out yet; then 12 queued.
    expect(record.action).toBe("none");
    const { createClient } = await import("redis");
    const redis = createClient({ url: inject("redisUrl") });
    await redis.connect();
    try {
      const queue = record.inputs.queues?.[0]?.name ?? "";
      await redis.lPush(
        queue,
        Array.from({ length: 12 }, (_, i) => `job-${i}`),
      );
      const again = await run({ bootDelayMs: 0 });
      expect(again).toMatchObject({
        action: "scale-out",
        desired: 5,
        applied: true,
        reconcile: { capacity: { serving: 1, draining: 1 } },
      });
      expect(asg.groups.get(group)?.desired).toBe(5);
      await redis.del(queue);
    } finally {
      await redis.close();
    }
  });
});
