import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import {
  connectOverTls,
  type RestyledApiStandIn,
  startRestyledApi,
  waitFor,
} from "@restyled/testkit";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { type AutoScalingCall, startAutoScalingEndpoint } from "./autoscaling-endpoint.js";
import { notification, removeTestContainers } from "./harness.js";

// The built agent as a machine runs it, through a whole lifecycle: SQS is
// fauxqs, Auto Scaling a Query-protocol stand-in (another process cannot be
// reached by aws-sdk-client-mock), restyled.io the contract stand-in; dockerd,
// its containers and the OS signals are real.
const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const RESOLVE_LOCALHOST = fileURLToPath(new URL("./resolve-localhost.mjs", import.meta.url));
const TOKEN = "cli-lifecycle-token";

let api: RestyledApiStandIn;
let queues: FauxqsServer;
let autoscaling: Awaited<ReturnType<typeof startAutoScalingEndpoint>>;
let sqs: SQSClient;
let child: ChildProcess | undefined;
const testId = randomBytes(4).toString("hex");

beforeEach(async () => {
  api = await startRestyledApi({ token: TOKEN });
  queues = await startFauxqs({ port: 0, logger: false });
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
  const docker = await connectOverTls(inject("docker"));
  await removeTestContainers(docker, testId);
  sqs.destroy();
  await Promise.all([api.close(), queues.stop(), autoscaling.close()]);
});

function startAgentProcess(instanceId: string, queueUrl: string) {
  const docker = inject("docker");
  let stderr = "";
  const spawned = spawn(
    BIN,
    [
      "--env",
      "test",
      "--instance-id",
      instanceId,
      "--docker-host",
      docker.host,
      "--cert-path",
      docker.certPath,
      "--restyled-url",
      api.url,
      "--queue-url",
      queueUrl,
      "--heartbeat-interval",
      "300ms",
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
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  spawned.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  child = spawned;
  return {
    child: spawned,
    stderr: () => stderr,
    exit: once(spawned, "exit").then(([code]) => code as number | null),
  };
}

const completions = (token: string) =>
  autoscaling.calls.filter(
    (c: AutoScalingCall) =>
      c.Action === "CompleteLifecycleAction" && c.LifecycleActionToken === token,
  );

async function send(queueUrl: string, body: string) {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
}

async function runJob(jobId: string, seconds: string) {
  const docker = await connectOverTls(inject("docker"));
  const container = await docker.createContainer({
    Image: inject("docker").image,
    Cmd: ["sleep", seconds],
    Labels: { restyler: "", "job-id": jobId, "agent-test": testId },
    HostConfig: { NetworkMode: "none" },
  });
  await container.start();
  return container;
}

describe("restyled-agent through a whole lifecycle", () => {
  it("launches, serves, drains on TERMINATING and exits 0", async () => {
    const instanceId = `i-${randomBytes(8).toString("hex")}`;
    const { queueUrl } = queues.createQueue(`cli-${testId}-1`);
    const agent = startAgentProcess(instanceId, queueUrl);
    await send(queueUrl, notification(instanceId, "launching", "launch-1"));
    await waitFor(async () => completions("launch-1").length > 0, {
      what: "the launch to complete",
      timeoutMs: 120_000,
      intervalMs: 50,
      diagnose: async () => agent.stderr(),
    });
    expect(completions("launch-1")[0]).toMatchObject({
      LifecycleActionResult: "CONTINUE",
      InstanceId: instanceId,
      AutoScalingGroupName: "restyled-machines-test",
    });
    expect([...api.machines.values()]).toMatchObject([
      { name: `restyled-test-${instanceId}`, enabled: true },
    ]);

    const job = await runJob("701", "2");
    await send(queueUrl, notification(instanceId, "terminating", "terminate-1"));
    expect(await agent.exit).toBe(0);
    const finished = Date.parse((await job.inspect()).State.FinishedAt);
    const completion = completions("terminate-1")[0]!;
    expect(completion.LifecycleActionResult).toBe("CONTINUE");
    expect(Number(completion.at)).toBeGreaterThanOrEqual(finished);
    expect(
      autoscaling.calls.filter(
        (c) =>
          c.Action === "RecordLifecycleActionHeartbeat" && c.LifecycleActionToken === "terminate-1",
      ).length,
    ).toBeGreaterThanOrEqual(2);
    expect(api.machines.size).toBe(0);
    expect(queues.inspectQueue(`cli-${testId}-1`)!.messages.ready).toEqual([]);
    expect(agent.stderr()).not.toContain(TOKEN);
  });

  it("a second SIGTERM during a drain still completes, quickly", async () => {
    const instanceId = `i-${randomBytes(8).toString("hex")}`;
    const { queueUrl } = queues.createQueue(`cli-${testId}-2`);
    const agent = startAgentProcess(instanceId, queueUrl);
    await send(queueUrl, notification(instanceId, "launching", "launch-2"));
    await waitFor(async () => completions("launch-2").length > 0, {
      what: "the launch to complete",
      timeoutMs: 120_000,
      intervalMs: 50,
      diagnose: async () => agent.stderr(),
    });
    await runJob("702", "60");
    await send(queueUrl, notification(instanceId, "terminating", "terminate-2"));
    await waitFor(
      async () => agent.stderr().includes('"msg":"waiting for running restyler containers"'),
      {
        what: "the drain to start",
        timeoutMs: 120_000,
        intervalMs: 50,
      },
    );
    agent.child.kill("SIGTERM");
    await waitFor(
      async () => agent.stderr().includes('"msg":"stopping: draining, then de-registering"'),
      {
        what: "the first signal to be seen",
        timeoutMs: 120_000,
        intervalMs: 20,
      },
    );
    const forcedAt = Date.now();
    agent.child.kill("SIGTERM");
    expect(await agent.exit).toBe(0);
    // Well before the job's own end: the second signal cut the wait short.
    expect(Date.now() - forcedAt).toBeLessThan(30_000);
    expect(completions("terminate-2")[0]?.LifecycleActionResult).toBe("CONTINUE");
    expect(api.machines.size).toBe(0);
    expect(agent.stderr()).toContain('"jobIds":["702"]');
  });

  it("exits 1, saying why, when the TERMINATING action expires during the drain", async () => {
    const instanceId = `i-${randomBytes(8).toString("hex")}`;
    const { queueUrl } = queues.createQueue(`cli-${testId}-3`);
    const agent = startAgentProcess(instanceId, queueUrl);
    await send(queueUrl, notification(instanceId, "launching", "launch-3"));
    await waitFor(async () => completions("launch-3").length > 0, {
      what: "the launch to complete",
      timeoutMs: 20_000,
      intervalMs: 50,
      diagnose: async () => agent.stderr(),
    });
    await runJob("703", "60");
    await send(queueUrl, notification(instanceId, "terminating", "terminate-3"));
    await waitFor(
      async () =>
        autoscaling.calls.some(
          (c) =>
            c.Action === "RecordLifecycleActionHeartbeat" &&
            c.LifecycleActionToken === "terminate-3",
        ),
      { what: "the first heartbeat", timeoutMs: 20_000, intervalMs: 20 },
    );
    // The hook times out: Auto Scaling no longer knows the action.
    autoscaling.expire("terminate-3");
    expect(await agent.exit).toBe(1);
    const errors = agent
      .stderr()
      .split("\n")
      .filter((line) => line.includes('"level":"error"'));
    expect(errors.join("\n")).toContain(
      "the lifecycle action expired: Auto Scaling refused a heartbeat",
    );
    expect(errors.join("\n")).toContain(
      "the lifecycle action had expired: Auto Scaling no longer knows it",
    );
    expect(api.machines.size).toBe(0);
    expect(queues.inspectQueue(`cli-${testId}-3`)!.messages.ready).toEqual([]);
  });

  it("is prepared for the warm pool, then exits 0 on the OS's SIGTERM with nothing to drain", async () => {
    const instanceId = `i-${randomBytes(8).toString("hex")}`;
    const { queueUrl } = queues.createQueue(`cli-${testId}-4`);
    const agent = startAgentProcess(instanceId, queueUrl);
    await waitFor(async () => api.requests.length > 0, {
      what: "the start-up look-up",
      timeoutMs: 120_000,
      intervalMs: 50,
      diagnose: async () => agent.stderr(),
    });
    await send(
      queueUrl,
      notification(instanceId, "launching", "warm-4", { origin: "EC2", destination: "WarmPool" }),
    );
    await waitFor(async () => completions("warm-4").length > 0, {
      what: "the launch into the pool to complete",
      timeoutMs: 120_000,
      intervalMs: 50,
      diagnose: async () => agent.stderr(),
    });
    expect(completions("warm-4")[0]?.LifecycleActionResult).toBe("CONTINUE");
    expect(agent.stderr()).toContain('"msg":"prepared for the warm pool');
    // Auto Scaling stops the instance; systemd sends SIGTERM.
    agent.child.kill("SIGTERM");
    expect(await agent.exit).toBe(0);
    expect(agent.stderr()).toContain(
      '"msg":"stopped in the warm pool: never registered, nothing to drain"',
    );
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /admin/machines"]);
    expect(api.machines.size).toBe(0);
    expect(autoscaling.calls.filter((c) => c.Action === "CompleteLifecycleAction")).toHaveLength(1);
  });
});
