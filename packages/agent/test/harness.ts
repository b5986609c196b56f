import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  DescribeLifecycleHooksCommand,
  RecordLifecycleActionHeartbeatCommand,
} from "@aws-sdk/client-auto-scaling";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { createRestyledApi } from "@restyled/core/restyled-api";
import {
  connectOverTls,
  type ProvidedDocker,
  type RestyledApiStandIn,
  startRestyledApi,
  waitFor,
} from "@restyled/testkit";
import { mockClient } from "aws-sdk-client-mock";
import type Docker from "dockerode";
import type { FauxqsServer } from "fauxqs";
import { startFauxqs } from "fauxqs";
import { inject } from "vitest";
import { readConfig } from "../src/config/config.js";
import type { AgentContext } from "../src/context.js";
import { createDockerClient, readClientCertificates } from "../src/docker/client.js";
import { createAgentLogger } from "../src/logger.js";
import { runAgent } from "../src/main.js";

// Stand-ins here: restyled.io (testkit's contract stand-in), Auto Scaling
// (aws-sdk-client-mock), SQS (fauxqs, in process). Real: dockerd over mutual
// TLS, its containers, HTTP over loopback.

export const TOKEN = "test-token-0123456789";

/** One recorded Auto Scaling call. */
export interface LifecycleCall {
  command: "complete" | "heartbeat";
  at: number;
  input: Record<string, unknown>;
}

export interface HarnessOptions {
  /** Flags for the agent (intervals, timeouts). */
  flags?: string[];
  /** Where the agent checks the daemon and what it registers; default the real daemon. */
  dockerPort?: number;
  /** Where the agent's own Docker client connects, when it differs from `dockerPort`. */
  agentDockerPort?: number;
  queue?: { sqs: SQSClient; queueUrl: string };
  hookHeartbeatTimeout?: number;
  /** Where the agent's restyled.io client points instead of the stand-in (a silent endpoint). */
  restyledUrl?: string;
  /** Answers DescribeLifecycleHooks; default at once, with `hookHeartbeatTimeout`. */
  describeHook?: () => Promise<number>;
}

export interface Harness {
  ctx: AgentContext;
  api: RestyledApiStandIn;
  instanceId: string;
  machineName: string;
  logs: Record<string, unknown>[];
  calls: LifecycleCall[];
  /** How many CompleteLifecycleAction calls to fail (throttled) before accepting. */
  failures: { complete: number };
  /** Tokens Auto Scaling no longer knows (the hook timed out): calls for them are refused. */
  expired: Set<string>;
  /** A Docker client over TLS, as the Webhooks service has. */
  webhooks: Docker;
  testId: string;
  /** Starts a restyler container the way the Webhooks service does. */
  runJob(jobId: string, command: string[]): Promise<Docker.Container>;
  completions(): LifecycleCall[];
  heartbeats(): LifecycleCall[];
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const docker = inject("docker");
  const api = await startRestyledApi({ token: TOKEN });
  const instanceId = `i-${randomBytes(8).toString("hex")}`;
  const testId = randomBytes(4).toString("hex");
  const dockerPort = options.dockerPort ?? docker.port;
  const read = readConfig(
    withOverrides(
      [
        "--instance-id",
        instanceId,
        "--docker-host",
        `tcp://127.0.0.1:${dockerPort}`,
        "--restyled-url",
        api.url,
        "--cert-path",
        docker.certPath,
        "--retry-delay",
        "20ms",
        "--retry-attempts",
        "3",
        "--relist-interval",
        "5s",
        "--daemon-check-interval",
        "100ms",
        "--completion-timeout",
        "5s",
        "--prune-interval",
        "0",
        "--drain-settle",
        "200ms",
        ...(options.queue ? ["--queue-url", options.queue.queueUrl, "--region", "us-east-1"] : []),
      ],
      options.flags ?? [],
    ),
    { RESTYLED_ENV: "test", RESTYLED_API_TOKEN: TOKEN },
  );
  const config = {
    ...read,
    instanceId,
    publicHostname: "127.0.0.1",
    dockerHost: read.dockerHost!,
    restyledToken: TOKEN,
    machineName: `restyled-test-${instanceId}`,
  };
  const { log, logs, waitForLog } = capturingLogger();
  const certificates = await readClientCertificates(docker.certPath);
  const autoscaling = new AutoScalingClient({ region: "us-east-1" });
  const calls: LifecycleCall[] = [];
  const mock = mockClient(autoscaling);
  const failures = { complete: 0 };
  const expired = new Set<string>();
  // As Auto Scaling answers a call for an action that timed out or was completed.
  const refuseGone = (input: { LifecycleActionToken?: string }) => {
    if (input.LifecycleActionToken && expired.has(input.LifecycleActionToken)) {
      throw Object.assign(
        new Error(`No active Lifecycle Action found with token ${input.LifecycleActionToken}`),
        { name: "ValidationError", $metadata: { httpStatusCode: 400 } },
      );
    }
  };
  mock.on(CompleteLifecycleActionCommand).callsFake((input) => {
    refuseGone(input);
    if (failures.complete > 0) {
      failures.complete -= 1;
      throw Object.assign(new Error("Rate exceeded"), { name: "Throttling" });
    }
    calls.push({ command: "complete", at: Date.now(), input });
    // A completed action is no longer active.
    if (input.LifecycleActionToken) expired.add(input.LifecycleActionToken);
    return {};
  });
  mock.on(RecordLifecycleActionHeartbeatCommand).callsFake((input) => {
    refuseGone(input);
    calls.push({ command: "heartbeat", at: Date.now(), input });
    return {};
  });
  mock.on(DescribeLifecycleHooksCommand).callsFake(async () => ({
    LifecycleHooks: [
      {
        HeartbeatTimeout: options.describeHook
          ? await options.describeHook()
          : (options.hookHeartbeatTimeout ?? 3600),
      },
    ],
  }));

  const ctx: AgentContext = {
    config,
    log,
    certificates,
    docker: createDockerClient(
      `tcp://127.0.0.1:${options.agentDockerPort ?? dockerPort}`,
      certificates,
      5_000,
    ),
    api: createRestyledApi({
      baseUrl: options.restyledUrl ?? api.url,
      requestTimeoutMs: options.restyledUrl ? 1_000 : undefined,
      token: TOKEN,
      logger: log,
      attempts: config.retryAttempts,
      retryDelayMs: config.retryDelayMs,
    }),
    apiOnce: createRestyledApi({
      baseUrl: options.restyledUrl ?? api.url,
      requestTimeoutMs: options.restyledUrl ? 1_000 : undefined,
      token: TOKEN,
      logger: log,
    }),
    autoscaling,
    sqs: options.queue?.sqs,
  };
  const webhooks = await connectOverTls(docker);

  const harness: Harness = {
    ctx,
    api,
    instanceId,
    machineName: config.machineName,
    logs,
    calls,
    failures,
    expired,
    webhooks,
    testId,
    async runJob(jobId, command) {
      const container = await webhooks.createContainer({
        Image: docker.image,
        Cmd: command,
        Labels: { restyler: "", "job-id": jobId, "agent-test": testId },
        HostConfig: { NetworkMode: "none" },
      });
      await container.start();
      return container;
    },
    completions: () => calls.filter((c) => c.command === "complete"),
    heartbeats: () => calls.filter((c) => c.command === "heartbeat"),
    waitForLog,
    async close() {
      mock.restore();
      ctx.docker.close();
      await removeTestContainers(webhooks, testId);
      await api.close();
    },
  };
  return harness;
}

/**
 * An agent logger that keeps every line it writes (echoed to stderr with
 * DEBUG_LOGS), and a wait for the first line with a given message.
 */
export function capturingLogger() {
  const logs: Record<string, unknown>[] = [];
  const log = createAgentLogger({
    level: "debug",
    write: (line) => {
      logs.push(JSON.parse(line));
      if (process.env.DEBUG_LOGS) process.stderr.write(`${line}\n`);
    },
  });
  async function waitForLog(msg: string, timeoutMs = 120_000) {
    await waitFor(async () => logs.some((l) => l.msg === msg), {
      what: `log line "${msg}"`,
      timeoutMs,
      intervalMs: 20,
    });
    return logs.find((l) => l.msg === msg)!;
  }
  return { log, logs, waitForLog };
}

/** The harness's flags with a test's own in place of any it repeats (a flag may be given once). */
function withOverrides(defaults: string[], flags: string[]): string[] {
  const given = new Set(flags.filter((_, i) => i % 2 === 0));
  const kept: string[] = [];
  for (let i = 0; i < defaults.length; i += 2) {
    if (!given.has(defaults[i]!)) kept.push(defaults[i]!, defaults[i + 1]!);
  }
  return [...kept, ...flags];
}

export async function removeTestContainers(docker: Docker, testId: string): Promise<void> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`agent-test=${testId}`] },
  });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
}

/** When a container's process exited, by the daemon's clock (ms). */
export async function finishedAt(container: Docker.Container): Promise<number> {
  const info = await container.inspect();
  return Date.parse(info.State.FinishedAt);
}

/** A fauxqs SQS endpoint with one queue per test. */
export interface Queues {
  server: FauxqsServer;
  sqs: SQSClient;
  create(): { name: string; queueUrl: string };
  send(queueUrl: string, body: string): Promise<void>;
  close(): Promise<void>;
}

export async function startQueues(): Promise<Queues> {
  const server = await startFauxqs({ port: 0, logger: false });
  const sqs = new SQSClient({
    endpoint: server.address,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  let count = 0;
  return {
    server,
    sqs,
    create() {
      count += 1;
      const name = `lifecycle-${randomBytes(3).toString("hex")}-${count}`;
      return {
        name,
        queueUrl: server.createQueue(name, { attributes: { VisibilityTimeout: "30" } }).queueUrl,
      };
    },
    async send(queueUrl, body) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    },
    async close() {
      sqs.destroy();
      await server.stop();
    },
  };
}

/**
 * A lifecycle notification for `instanceId`, in the direct Auto Scaling
 * shape. `route` sets Origin and Destination (a warm pool's transitions);
 * a field given as undefined is left out (a notification without them).
 */
export function notification(
  instanceId: string,
  transition: "launching" | "terminating",
  token = randomBytes(8).toString("hex"),
  route: { origin?: unknown; destination?: unknown } = {
    origin: transition === "launching" ? "EC2" : "AutoScalingGroup",
    destination: transition === "launching" ? "AutoScalingGroup" : "EC2",
  },
): string {
  return JSON.stringify({
    Origin: route.origin,
    Destination: route.destination,
    Service: "AWS Auto Scaling",
    Time: new Date().toISOString(),
    RequestId: randomBytes(8).toString("hex"),
    LifecycleActionToken: token,
    AccountId: "123456789012",
    AutoScalingGroupName: "restyled-machines-test",
    LifecycleHookName: `restyled-machine-test-${transition}`,
    EC2InstanceId: instanceId,
    LifecycleTransition: `autoscaling:EC2_INSTANCE_${transition.toUpperCase()}`,
  });
}

export type { ProvidedDocker };

/** Runs the agent as the CLI does, with an emitter standing in for the process's signals. */
export function startAgent(harness: Harness): {
  signals: EventEmitter;
  done: Promise<boolean>;
  watchdogFired: () => boolean;
} {
  const signals = new EventEmitter();
  let fired = false;
  const done = runAgent(harness.ctx, signals, () => {
    fired = true;
  });
  return { signals, done, watchdogFired: () => fired };
}
