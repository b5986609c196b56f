import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import {
  type CloudWatchLogsStandIn,
  type RestyledApiStandIn,
  startCloudWatchLogs,
  startRestyledApi,
  waitFor,
} from "@restyled/testkit";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { startAutoScalingEndpoint } from "./autoscaling-endpoint.js";
import { notification } from "./harness.js";

// The built agent as a machine runs it, with log shipping on, through a launch
// and a termination. Stand-ins: CloudWatch Logs (testkit, over HTTP, read back
// with the real SDK), SQS (fauxqs), Auto Scaling (Query-protocol stand-in),
// restyled.io (contract stand-in). Real: the agent process, its SDK clients,
// dockerd over mutual TLS.
const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const RESOLVE_LOCALHOST = fileURLToPath(new URL("./resolve-localhost.mjs", import.meta.url));
const TOKEN = "log-shipping-cli-token";
const GROUP = "restyled/test/machines";

let api: RestyledApiStandIn;
let queues: FauxqsServer;
let logs: CloudWatchLogsStandIn;
let autoscaling: Awaited<ReturnType<typeof startAutoScalingEndpoint>>;
let sqs: SQSClient;
let child: ChildProcess | undefined;

beforeEach(async () => {
  api = await startRestyledApi({ token: TOKEN });
  queues = await startFauxqs({ port: 0, logger: false });
  logs = await startCloudWatchLogs();
  logs.createLogGroup(GROUP);
  autoscaling = await startAutoScalingEndpoint();
  sqs = new SQSClient({
    endpoint: queues.address,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
});
afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
  child = undefined;
  sqs.destroy();
  await Promise.all([api.close(), queues.stop(), logs.close(), autoscaling.close()]);
});

describe("restyled-agent shipping its own logs", () => {
  it("leaves its whole story in its instance's stream, the lines before the last completion included", async () => {
    const docker = inject("docker");
    const instanceId = `i-${randomBytes(8).toString("hex")}`;
    const { queueUrl } = queues.createQueue(`logs-${randomBytes(4).toString("hex")}`);
    let stderr = "";
    child = spawn(
      BIN,
      [
        ...["--env", "test", "--instance-id", instanceId, "--docker-host", docker.host],
        ...["--cert-path", docker.certPath, "--restyled-url", api.url, "--queue-url", queueUrl],
        ...["--heartbeat-interval", "300ms", "--log-group", GROUP],
      ],
      {
        env: {
          PATH: process.env.PATH ?? "",
          NODE_OPTIONS: `--import=${RESOLVE_LOCALHOST}`,
          RESTYLED_API_TOKEN: TOKEN,
          AWS_REGION: "us-east-1",
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_ENDPOINT_URL_SQS: queues.address,
          AWS_ENDPOINT_URL_AUTO_SCALING: autoscaling.url,
          AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logs.url,
        },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exit = once(child, "exit").then(([code]) => code as number | null);
    const send = (body: string) =>
      sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const completed = (token: string) =>
      autoscaling.calls.find(
        (c) => c.Action === "CompleteLifecycleAction" && c.LifecycleActionToken === token,
      );

    await send(notification(instanceId, "launching", "launch-logs"));
    await waitFor(async () => completed("launch-logs") !== undefined, {
      what: "the launch to complete",
      timeoutMs: 30_000,
      intervalMs: 50,
      diagnose: async () => stderr,
    });
    await send(notification(instanceId, "terminating", "terminate-logs"));
    expect(await exit).toBe(0);

    const completion = Number(completed("terminate-logs")!.at);
    const client = new CloudWatchLogsClient({
      endpoint: logs.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const page = await client.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: instanceId,
        startFromHead: true,
      }),
    );
    client.destroy();
    const shipped = (page.events ?? []).map((event) => event.message!);
    const printed = stderr.split("\n").filter((line) => line.startsWith("{"));
    // Every line printed before the terminating completion was in CloudWatch
    // before Auto Scaling heard of it, in order.
    const beforeCompletion = printed.filter(
      (line) => Date.parse(JSON.parse(line).time) < completion,
    );
    expect(beforeCompletion.length).toBeGreaterThan(3);
    expect(shipped.slice(0, beforeCompletion.length)).toEqual(beforeCompletion);
    const putsBefore = logs.puts.filter((put) => put.at <= completion);
    expect(putsBefore.reduce((sum, put) => sum + put.events, 0)).toBeGreaterThanOrEqual(
      beforeCompletion.length,
    );
    // And the lines after it, shipped on the way out.
    expect(shipped).toEqual(printed);
  });
});
