// Real: redis-server (testkit) and HTTP over loopback to a restyled.io stand-in.
// Stand-ins: AWS (aws-sdk-client-mock, answers shaped by test/fixtures), restyled.io.
import {
  CreateOrUpdateTagsCommand,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { silentLogger } from "@restyled/core/logger";
import { type HttpStandIn, sendJson, startHttpStandIn, startRestyledApi } from "@restyled/testkit";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { readConfig } from "../src/config.js";
import { DISABLED_SINCE_TAG, LAST_ACTION_TAG, LOW_SINCE_TAG } from "../src/machines-group.js";
import { runOnce } from "../src/run-once.js";
import { describeMissingServiceAnswer } from "./aws-fixtures.js";
import { mockAws, uniqueName } from "./harness.js";

const redisUrl = inject("redisUrl");
const redis = createClient({ url: redisUrl });
const NOW = Date.parse("2026-03-02T12:00:00Z");
const MIN = 60_000;
const standIns: HttpStandIn[] = [];

beforeAll(() => redis.connect().then(() => undefined));
afterAll(() => redis.close());
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((s) => s.close()));
});

async function queueJobs(queue: string, count: number) {
  if (count > 0)
    await redis.lPush(
      queue,
      Array.from({ length: count }, (_, i) => `job-${i}`),
    );
}

function setup(env: Record<string, string> = {}) {
  const aws = mockAws();
  const queue = uniqueName("test:queue");
  const group = uniqueName("machines");
  const config = readConfig({
    RESTYLED_ENV: "test",
    REDIS_URL: redisUrl,
    RESTYLER_QUEUES: queue,
    MACHINES_GROUP_NAME: group,
    ...env,
  });
  const run = (overrides: Partial<typeof config> = {}) =>
    runOnce({
      config: { ...config, ...overrides },
      clients: aws.clients,
      logger: silentLogger(),
      now: () => NOW,
    });
  return { aws, queue, group, config, run };
}

describe("runOnce", () => {
  it("scales out at once for the jobs the machine in service will not start within a boot, and the Webhooks service in step", async () => {
    const { aws, queue, group, run } = setup({
      WEBHOOKS_CLUSTER: "restyled-test",
      WEBHOOKS_SERVICE: "Webhooks",
      TASKS_PER_MACHINE: "2",
    });
    // The machine in service gets 12 going within the default 3m boot; 9 more need 3 machines.
    await queueJobs(queue, 21);
    aws.group({ name: group, desired: 1, max: 5 });
    aws.service(2);

    const record = await run();

    expect(record).toMatchObject({
      environment: "test",
      dryRun: false,
      desired: 4,
      action: "scale-out",
      webhooksDesired: 8,
      applied: true,
      inputs: { queued: 21, inFlight: null, group: { name: group, desired: 1, min: 1, max: 5 } },
    });
    expect(record.error).toBeUndefined();
    expect(record.reason).toMatch(
      /demand 21 .* is 9 more than 1 serving get going within a 3m boot .*; those need 3 more at 3 jobs each; scaling out from 1 to 4$/,
    );
    expect(aws.mocks.autoScaling.commandCalls(SetDesiredCapacityCommand)[0]?.args[0].input).toEqual(
      {
        AutoScalingGroupName: group,
        DesiredCapacity: 4,
        HonorCooldown: false,
      },
    );
    expect(aws.mocks.ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({
      cluster: "restyled-test",
      service: "Webhooks",
      desiredCount: 8,
    });
    const tags =
      aws.mocks.autoScaling.commandCalls(CreateOrUpdateTagsCommand)[0]?.args[0].input.Tags;
    expect(tags).toEqual([
      expect.objectContaining({
        ResourceId: group,
        Key: LOW_SINCE_TAG,
        Value: "",
        PropagateAtLaunch: false,
      }),
      expect.objectContaining({
        Key: LAST_ACTION_TAG,
        Value: "2026-03-02T12:00:00.000Z scale-out 1->4",
      }),
      expect.objectContaining({ Key: DISABLED_SINCE_TAG, Value: "" }),
    ]);
  });

  it("publishes QueueDepth per queue with Environment and QueueName", async () => {
    const { aws, queue, group, run } = setup();
    const other = uniqueName("test:queue");
    await queueJobs(queue, 2);
    await queueJobs(other, 5);
    aws.group({ name: group, desired: 3 });
    await run({
      queues: [
        { name: queue, weight: 1 },
        { name: other, weight: 3 },
      ],
    });
    const input = aws.mocks.cloudWatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input;
    expect(input?.Namespace).toBe("Restyled");
    expect(input?.MetricData).toEqual([
      {
        MetricName: "QueueDepth",
        Unit: "Count",
        Value: 2,
        Timestamp: new Date(NOW),
        Dimensions: [
          { Name: "Environment", Value: "test" },
          { Name: "QueueName", Value: queue },
        ],
      },
      expect.objectContaining({
        Value: 5,
        Dimensions: [expect.anything(), { Name: "QueueName", Value: other }],
      }),
    ]);
  });

  it("counts running jobs from restyled.io and keeps busy machines", async () => {
    const token = "state-token";
    const api = await startRestyledApi({ token });
    standIns.push(api);
    for (const [i, jobCount] of [3, 2, 0].entries()) {
      api.seedMachine({ name: `restyled-test-i-${String(i).padStart(17, "0")}`, jobCount });
    }
    const { aws, group, run } = setup({ RESTYLED_URL: api.url, RESTYLED_API_TOKEN: token });
    // Demand 5 (all running) needs 2 machines, and low for 20 minutes, but 2 are busy out of 3.
    aws.group({
      name: group,
      desired: 3,
      tags: { [LOW_SINCE_TAG]: new Date(NOW - 20 * MIN).toISOString() },
    });
    const record = await run();
    expect(record.inputs).toMatchObject({ queued: 0, inFlight: 5, busyMachines: 2 });
    // The idle one goes, chosen by name: disabled, then terminated with the count decremented.
    expect(record).toMatchObject({
      action: "scale-in",
      desired: 2,
      scaleIn: { instanceId: "i-00000000000000002", machineId: 3 },
    });
    expect(api.machines.get(3)?.enabled).toBe(false);
    expect(api.requests.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      "GET /admin/machines",
      "GET /admin/machines/3",
      "GET /admin/machines/state",
      "PATCH /admin/machines/3",
    ]);
    expect(aws.mocks.autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
    expect(
      aws.mocks.autoScaling.commandCalls(TerminateInstanceInAutoScalingGroupCommand)[0]?.args[0]
        .input,
    ).toEqual({ InstanceId: "i-00000000000000002", ShouldDecrementDesiredCapacity: true });
  });

  it("starts the stabilization clock in a tag when demand first goes low, without scaling", async () => {
    const { aws, group, run } = setup();
    aws.group({ name: group, desired: 3 });
    const record = await run();
    expect(record).toMatchObject({ action: "none", desired: 3, applied: true });
    expect(aws.mocks.autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
    const tags =
      aws.mocks.autoScaling.commandCalls(CreateOrUpdateTagsCommand)[0]?.args[0].input.Tags;
    expect(tags?.[0]).toMatchObject({ Key: LOW_SINCE_TAG, Value: new Date(NOW).toISOString() });
  });

  it("scales in one step once the tag says demand stayed low past the window", async () => {
    const { aws, group, run } = setup({ SCALE_IN_STABILIZATION: "10m" });
    const lowSince = new Date(NOW - 11 * MIN).toISOString();
    aws.group({ name: group, desired: 3, tags: { [LOW_SINCE_TAG]: lowSince } });
    const record = await run();
    expect(record).toMatchObject({ action: "scale-in", desired: 2, inputs: { lowSince } });
    expect(
      aws.mocks.autoScaling.commandCalls(SetDesiredCapacityCommand)[0]?.args[0].input
        .DesiredCapacity,
    ).toBe(2);
    const tags =
      aws.mocks.autoScaling.commandCalls(CreateOrUpdateTagsCommand)[0]?.args[0].input.Tags;
    expect(tags?.map((t) => t.Value)).toEqual([
      lowSince,
      "2026-03-02T12:00:00.000Z scale-in 3->2",
      "",
    ]);
  });

  it("writes nothing on a quiet run whose memory did not change", async () => {
    const { aws, queue, group, run } = setup();
    await queueJobs(queue, 3);
    aws.group({
      name: group,
      desired: 1,
      tags: { [LOW_SINCE_TAG]: "", [LAST_ACTION_TAG]: "earlier" },
    });
    const record = await run();
    expect(record).toMatchObject({ action: "none", applied: true });
    expect(aws.writes()).toHaveLength(0);
  });

  it("counts launching instances as capacity on the way and scales out beyond them, not holding", async () => {
    const { aws, queue, group, run } = setup();
    // 1 serving gets 12 going, 2 launching take 3 each: 12 of 30 jobs need 4 more (max 5).
    await queueJobs(queue, 30);
    aws.group({ name: group, desired: 3, states: ["InService", "Pending:Wait", "Pending"] });
    const record = await run();
    expect(record).toMatchObject({
      action: "scale-out",
      desired: 5,
      inputs: { group: { pending: 2, inService: 1 } },
      reconcile: { capacity: { serving: 1, coming: 2, draining: 0 } },
    });
    expect(record.reason).toMatch(/is 12 more than 1 serving \+ 2 on the way/);
  });

  it("holds when the instances on the way take what the serving one leaves", async () => {
    const { aws, queue, group, run } = setup();
    await queueJobs(queue, 17);
    aws.group({ name: group, desired: 3, states: ["InService", "Pending:Wait", "Pending"] });
    const record = await run();
    expect(record).toMatchObject({ action: "none", desired: 3 });
    expect(aws.mocks.autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
  });

  it("sizes for every job at once with BOOT_DELAY=0s, ceil(demand / 3)", async () => {
    const { aws, queue, group, run } = setup({ BOOT_DELAY: "0s" });
    await queueJobs(queue, 10);
    aws.group({ name: group, desired: 1, max: 5 });
    const record = await run();
    expect(record).toMatchObject({ action: "scale-out", desired: 4, applied: true });
    expect(record.reason).toMatch(
      /demand 10 .* is 7 more than 1 serving run at once; those need 3 more at 3 jobs each; scaling out from 1 to 4$/,
    );
  });

  it("adds no machine for a queue the machine in service starts within the boot delay", async () => {
    const { aws, queue, group, run } = setup();
    await queueJobs(queue, 12);
    aws.group({ name: group, desired: 1, max: 5 });
    const record = await run();
    expect(record).toMatchObject({ action: "none", desired: 1, applied: true });
    expect(record.reason).toMatch(
      /demand 12 .* needs 1 machine\(s\) at 12 jobs each within a 3m boot/,
    );
    expect(aws.mocks.autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
  });

  it("on --dry-run decides and explains but writes nothing, not even the metric (one task per job slot by default)", async () => {
    const { aws, queue, group, run } = setup({
      WEBHOOKS_CLUSTER: "c",
      WEBHOOKS_SERVICE: "Webhooks",
    });
    await queueJobs(queue, 18);
    aws.group({ name: group, desired: 1 });
    aws.service(2);
    const record = await run({ dryRun: true });
    expect(record).toMatchObject({
      dryRun: true,
      action: "scale-out",
      desired: 3,
      webhooksDesired: 9,
      applied: false,
    });
    expect(aws.writes()).toHaveLength(0);
    expect(aws.mocks.cloudWatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  it("reads the Redis URL from SSM when REDIS_URL is not set", async () => {
    const { aws, queue, group, config } = setup();
    await queueJobs(queue, 4);
    aws.group({ name: group, desired: 2 });
    aws.mocks.ssm
      .on(GetParameterCommand, { Name: "/restyled/test/redis-url", WithDecryption: true })
      .resolves({
        Parameter: { Name: "/restyled/test/redis-url", Value: redisUrl, Type: "SecureString" },
      });
    const record = await runOnce({
      config: { ...config, redisUrl: undefined },
      clients: aws.clients,
      logger: silentLogger(),
      now: () => NOW,
    });
    expect(record.inputs.queued).toBe(4);
    expect(record.error).toBeUndefined();
  });
});

describe("runOnce when something fails", () => {
  it("takes no action when Redis is unreachable, and keeps the password out of the record", async () => {
    const { aws, group, run } = setup();
    aws.group({ name: group, desired: 2 });
    const record = await run({ redisUrl: "redis://:hunter2-secret@127.0.0.1:9" });
    expect(record).toMatchObject({
      action: "none",
      desired: 2,
      applied: false,
      error: { name: "DependencyError" },
    });
    expect(record.error?.message).toMatch(/could not read queue depth: Redis at .* did not answer/);
    expect(JSON.stringify(record)).not.toContain("hunter2-secret");
    expect(aws.writes()).toHaveLength(0);
    expect(aws.mocks.cloudWatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  it("takes no action when the group does not exist", async () => {
    const { aws, queue, group, run } = setup();
    await queueJobs(queue, 50);
    aws.mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    const record = await run();
    expect(record).toMatchObject({
      action: "none",
      desired: null,
      applied: false,
      error: { name: "GroupNotFoundError" },
    });
    expect(record.error?.message).toBe(
      `Auto Scaling group "${group}" does not exist in this account and region`,
    );
    expect(aws.writes()).toHaveLength(0);
  });

  it("takes no action when DescribeAutoScalingGroups is denied", async () => {
    const { aws, queue, run } = setup();
    await queueJobs(queue, 50);
    const denied = Object.assign(
      new Error("User is not authorized to perform: autoscaling:DescribeAutoScalingGroups"),
      { name: "AccessDenied" },
    );
    aws.mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(denied);
    const record = await run();
    expect(record.error?.message).toMatch(
      /^DescribeAutoScalingGroups machines-\w+ failed \(AccessDenied\): User is not authorized/,
    );
    expect(aws.writes()).toHaveLength(0);
  });

  it("takes no action when the Webhooks service is missing", async () => {
    const { aws, queue, group, run } = setup({
      WEBHOOKS_CLUSTER: "restyled-test",
      WEBHOOKS_SERVICE: "Webhooks",
    });
    await queueJobs(queue, 50);
    aws.group({ name: group, desired: 1 });
    aws.mocks.ecs.on(DescribeServicesCommand).resolves(describeMissingServiceAnswer());
    const record = await run();
    expect(record.error?.message).toBe(
      'ECS service "Webhooks" in cluster "restyled-test" is MISSING',
    );
    expect(record.inputs.queued).toBe(50);
    expect(aws.writes()).toHaveLength(0);
  });

  it("records a failed SetDesiredCapacity and leaves the service and the tags alone", async () => {
    const { aws, queue, group, run } = setup({
      WEBHOOKS_CLUSTER: "c",
      WEBHOOKS_SERVICE: "Webhooks",
    });
    await queueJobs(queue, 21);
    aws.group({ name: group, desired: 1 });
    aws.service(2);
    aws.mocks.autoScaling
      .on(SetDesiredCapacityCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "Throttling" }));
    const record = await run();
    expect(record).toMatchObject({ action: "scale-out", desired: 4, applied: false });
    expect(record.error?.message).toMatch(
      /^SetDesiredCapacity machines-\w+ to 4 failed \(Throttling\): Rate exceeded/,
    );
    expect(aws.mocks.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(aws.mocks.autoScaling.commandCalls(CreateOrUpdateTagsCommand)).toHaveLength(0);
  });

  it("says which SSM parameter is missing", async () => {
    const { aws, group, config } = setup();
    aws.group({ name: group, desired: 1 });
    aws.mocks.ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error("Parameter not found"), { name: "ParameterNotFound" }));
    const record = await runOnce({
      config: { ...config, redisUrl: undefined },
      clients: aws.clients,
      logger: silentLogger(),
    });
    expect(record.error).toEqual({
      name: "ConfigError",
      message: "SSM parameter /restyled/test/redis-url does not exist",
    });
    expect(aws.writes()).toHaveLength(0);
  });

  it("takes no action when restyled.io refuses the token", async () => {
    const api = await startHttpStandIn((_request, response) => sendJson(response, 404, {}));
    standIns.push(api);
    const { aws, queue, group, run } = setup({
      RESTYLED_URL: api.url,
      RESTYLED_API_TOKEN: "stale-token",
    });
    await queueJobs(queue, 30);
    aws.group({ name: group, desired: 1 });
    const record = await run();
    expect(record.error).toMatchObject({ name: "RestyledApiError" });
    expect(record.error?.message).toMatch(/the restyled.io API token is wrong/);
    expect(JSON.stringify(record)).not.toContain("stale-token");
    expect(aws.writes()).toHaveLength(0);
  });

  it("takes no action when the metric cannot be published", async () => {
    const { aws, queue, group, run } = setup();
    await queueJobs(queue, 30);
    aws.group({ name: group, desired: 1 });
    aws.mocks.cloudWatch
      .on(PutMetricDataCommand)
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDenied" }));
    const record = await run();
    expect(record.error?.message).toBe(
      "PutMetricData QueueDepth failed (AccessDenied): not authorized",
    );
    expect(record.inputs.queued).toBe(30);
    expect(aws.writes()).toHaveLength(0);
  });

  it("reports every failed input at once", async () => {
    const { aws, run } = setup();
    aws.mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    const record = await run({ redisUrl: "redis://127.0.0.1:9" });
    expect(record.error?.message).toMatch(
      /could not read queue depth: .*; Auto Scaling group .* does not exist/,
    );
  });
});
