// The flush before CompleteLifecycleAction, with the real SDK clients: Auto
// Scaling against the Query-protocol stand-in, CloudWatch Logs against the
// testkit stand-in (both stand-ins; the clients and middleware are real).
import { randomBytes } from "node:crypto";
import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  RecordLifecycleActionHeartbeatCommand,
} from "@aws-sdk/client-auto-scaling";
import { CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { type CloudWatchLogsStandIn, startCloudWatchLogs } from "@restyled/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { flushLogsBeforeCompletion } from "../src/log-shipping/flush-before-completion.js";
import { createLogShipper, type LogShipper } from "../src/log-shipping/log-shipper.js";
import { createAgentLogger as createLogger } from "../src/logger.js";
import { startAutoScalingEndpoint } from "./autoscaling-endpoint.js";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
let logs: CloudWatchLogsStandIn;
let autoscalingEndpoint: Awaited<ReturnType<typeof startAutoScalingEndpoint>>;
let cloudwatch: CloudWatchLogsClient;
let autoscaling: AutoScalingClient;
let shipper: LogShipper;
const group = `restyled/test-${randomBytes(3).toString("hex")}/machines`;
const instanceId = `i-${randomBytes(8).toString("hex")}`;

beforeEach(async () => {
  logs = await startCloudWatchLogs();
  logs.createLogGroup(group);
  autoscalingEndpoint = await startAutoScalingEndpoint();
  cloudwatch = new CloudWatchLogsClient({ endpoint: logs.url, region: "us-east-1", credentials });
  autoscaling = new AutoScalingClient({
    endpoint: autoscalingEndpoint.url,
    region: "us-east-1",
    credentials,
  });
  // The background timer is slow on purpose: only the flush can ship in time.
  shipper = createLogShipper({ intervalMs: 3_600_000 });
  shipper.start({ client: cloudwatch, logGroupName: group, logStreamName: instanceId });
});
afterEach(async () => {
  await shipper.close(Date.now());
  cloudwatch.destroy();
  autoscaling.destroy();
  await Promise.all([logs.close(), autoscalingEndpoint.close()]);
});

const action = {
  LifecycleHookName: "restyled-machine-test-terminating",
  AutoScalingGroupName: "restyled-test-machines",
  InstanceId: instanceId,
  LifecycleActionToken: "terminate-token",
};

describe("completing a lifecycle action with log shipping on", () => {
  it("ships every line written before the completion, the last included, before AWS hears of it", async () => {
    const lines: string[] = [];
    const log = createLogger({
      level: "info",
      write: (line: string) => {
        lines.push(line);
        shipper.write(line);
      },
    });
    flushLogsBeforeCompletion(autoscaling, { shipper, timeoutMs: 10_000, log });
    log.info("draining", { jobs: 1 });
    log.info("drained; de-registered", { machine: `restyled-test-${instanceId}` });
    log.info("completing lifecycle action", { result: "CONTINUE" });
    await autoscaling.send(
      new CompleteLifecycleActionCommand({ ...action, LifecycleActionResult: "CONTINUE" }),
    );

    const completion = autoscalingEndpoint.calls.find(
      (c) => c.Action === "CompleteLifecycleAction",
    )!;
    const page = await cloudwatch.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: instanceId,
        startFromHead: true,
      }),
    );
    expect(page.events!.map((e) => e.message)).toEqual(lines);
    expect(JSON.parse(page.events!.at(-1)!.message!).msg).toBe("completing lifecycle action");
    // Shipped before the completion reached Auto Scaling.
    expect(Math.max(...logs.puts.map((p) => p.at))).toBeLessThanOrEqual(Number(completion.at));
  });

  it("leaves other Auto Scaling calls alone", async () => {
    flushLogsBeforeCompletion(autoscaling, {
      shipper,
      timeoutMs: 10_000,
      log: createLogger({ write: () => {} }),
    });
    shipper.write("not flushed by a heartbeat");
    await autoscaling.send(new RecordLifecycleActionHeartbeatCommand(action));
    expect(logs.puts).toEqual([]);
  });

  it("completes anyway, saying so, when CloudWatch Logs cannot take the lines in time", async () => {
    await logs.close(); // nothing listens there any more
    const warnings: string[] = [];
    const log = createLogger({ level: "warn", write: (line: string) => warnings.push(line) });
    flushLogsBeforeCompletion(autoscaling, { shipper, timeoutMs: 1_000, log });
    shipper.write("the last words");
    await autoscaling.send(
      new CompleteLifecycleActionCommand({ ...action, LifecycleActionResult: "CONTINUE" }),
    );
    expect(autoscalingEndpoint.actions).toEqual(["CompleteLifecycleAction"]);
    expect(warnings.map((w) => JSON.parse(w))).toEqual([
      expect.objectContaining({ msg: "completing with log lines not yet shipped", left: 1 }),
    ]);
    logs = await startCloudWatchLogs(); // for afterEach
  });
});
