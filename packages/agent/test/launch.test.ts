import { createRestyledApi } from "@restyled/core/restyled-api";
import { findFreePort, startSilentEndpoint, waitFor } from "@restyled/testkit";
import { startTcpProxy } from "@restyled/testkit/tcp-proxy";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import {
  createHarness,
  type Harness,
  notification,
  type Queues,
  startAgent,
  startQueues,
  TOKEN,
} from "./harness.js";

let queues: Queues;
let harness: Harness | undefined;
beforeAll(async () => {
  queues = await startQueues();
});
afterAll(() => queues.close());
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function launch(options: Parameters<typeof createHarness>[0] = {}) {
  const queue = queues.create();
  harness = await createHarness({
    ...options,
    queue: { sqs: queues.sqs, queueUrl: queue.queueUrl },
  });
  const agent = startAgent(harness);
  await queues.send(queue.queueUrl, notification(harness.instanceId, "launching", "launch-token"));
  const h = harness;
  await waitFor(async () => h.completions().length > 0, {
    what: "CompleteLifecycleAction",
    timeoutMs: 120_000,
    intervalMs: 20,
  });
  return { agent, queue, harness: h };
}

async function stop(agent: ReturnType<typeof startAgent>) {
  agent.signals.emit("SIGTERM");
  return agent.done;
}

describe("launching", () => {
  it("registers the machine and completes CONTINUE once it is registered and enabled", async () => {
    const { agent, queue, harness: h } = await launch();
    expect(h.completions()[0]?.input).toMatchObject({
      LifecycleActionResult: "CONTINUE",
      LifecycleActionToken: "launch-token",
      InstanceId: h.instanceId,
      LifecycleHookName: "restyled-machine-test-launching",
      AutoScalingGroupName: "restyled-machines-test",
    });
    const machines = [...h.api.machines.values()];
    expect(machines).toHaveLength(1);
    expect(machines[0]).toMatchObject({
      name: h.machineName,
      host: `tcp://127.0.0.1:${inject("docker").port}`,
      enabled: true,
      caCert: h.ctx.certificates.ca,
      cert: h.ctx.certificates.cert,
      key: h.ctx.certificates.key,
    });
    // The message is deleted once the action is completed.
    await waitFor(
      async () => {
        const state = queues.server.inspectQueue(queue.name)!;
        return state.messages.ready.length + state.messages.inflight.length === 0;
      },
      { what: "the message to be deleted", timeoutMs: 120_000, intervalMs: 20 },
    );
    const registered = h.logs.find((l) => l.msg === "machine registered");
    expect(registered).toMatchObject({
      instanceId: h.instanceId,
      machine: h.machineName,
      hook: "restyled-machine-test-launching",
      transition: "launching",
    });
    expect(JSON.stringify(h.logs)).not.toContain(TOKEN);
    expect(JSON.stringify(h.logs)).not.toContain("PRIVATE KEY");
    expect(await stop(agent)).toBe(true);
  });

  it("abandons the launch when the daemon is unreachable", async () => {
    const closedPort = await findFreePort();
    const { agent, harness: h } = await launch({ dockerPort: closedPort });
    expect(h.completions()[0]?.input).toMatchObject({ LifecycleActionResult: "ABANDON" });
    expect(h.api.machines.size).toBe(0);
    expect(h.api.requests.filter((r) => r.method === "POST")).toHaveLength(0);
    const abandoned = h.logs.find((l) => l.msg === "abandoning the launch");
    expect(String(abandoned?.reason)).toContain(
      `the Docker daemon at tcp://127.0.0.1:${closedPort} did not answer`,
    );
    expect(await stop(agent)).toBe(true);
  });

  it("reuses the machine an earlier run registered instead of adding a duplicate", async () => {
    const queue = queues.create();
    harness = await createHarness({ queue: { sqs: queues.sqs, queueUrl: queue.queueUrl } });
    const h = harness;
    // What a previous run of the agent left behind before it was restarted.
    const earlier = await h.ctx.api.createMachine({
      name: h.machineName,
      host: h.ctx.config.dockerHost,
      certificateAuthority: h.ctx.certificates.ca,
      certificate: h.ctx.certificates.cert,
      privateKey: h.ctx.certificates.key,
    });
    await h.ctx.api.setEnabled(earlier.id, false);
    const agent = startAgent(h);
    await queues.send(queue.queueUrl, notification(h.instanceId, "launching"));
    await waitFor(async () => h.completions().length > 0, {
      what: "completion",
      timeoutMs: 120_000,
      intervalMs: 20,
    });
    expect(h.completions()[0]?.input.LifecycleActionResult).toBe("CONTINUE");
    expect([...h.api.machines.values()].map((m) => [m.id, m.enabled])).toEqual([
      [earlier.id, true],
    ]);
    expect(h.api.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(await stop(agent)).toBe(true);
  });

  it("resumes watching a machine an earlier run registered, before any notification", async () => {
    const queue = queues.create();
    harness = await createHarness({ queue: { sqs: queues.sqs, queueUrl: queue.queueUrl } });
    const h = harness;
    const earlier = await h.ctx.api.createMachine({
      name: h.machineName,
      host: h.ctx.config.dockerHost,
      certificateAuthority: h.ctx.certificates.ca,
      certificate: h.ctx.certificates.cert,
      privateKey: h.ctx.certificates.key,
    });
    const agent = startAgent(h);
    expect(
      await h.waitForLog("resuming service: the machine was registered by an earlier run"),
    ).toMatchObject({
      machineId: earlier.id,
    });
    expect(await stop(agent)).toBe(true);
    expect(h.api.machines.size).toBe(0);
    expect(h.calls).toEqual([]);
  });

  it("abandons when restyled.io cannot reach the daemon and registers it disabled", async () => {
    // The agent reaches its daemon directly, but the registered host (a proxy
    // that is cut) is unreachable from restyled.io: a firewall, say.
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: inject("docker").port });
    proxy.cut();
    try {
      const { agent, harness: h } = await launch({
        dockerPort: proxy.port,
        agentDockerPort: inject("docker").port,
      });
      expect(h.completions()[0]?.input.LifecycleActionResult).toBe("ABANDON");
      expect(h.api.requests.filter((r) => r.method === "POST")).toHaveLength(1);
      // The disabled registration is removed: the instance is going away.
      expect(h.api.machines.size).toBe(0);
      expect(String(h.logs.find((l) => l.msg === "abandoning the launch")?.reason)).toContain(
        "restyled.io registered the machine disabled",
      );
      expect(await stop(agent)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it("abandons after bounded retries when registration keeps failing", async () => {
    const queue = queues.create();
    harness = await createHarness({ queue: { sqs: queues.sqs, queueUrl: queue.queueUrl } });
    const h = harness;
    h.api.injectFailure({ method: "POST", status: 502, times: 100 });
    const agent = startAgent(h);
    await queues.send(queue.queueUrl, notification(h.instanceId, "launching"));
    await waitFor(async () => h.completions().length > 0, {
      what: "completion",
      timeoutMs: 120_000,
      intervalMs: 20,
    });
    expect(h.completions()[0]?.input.LifecycleActionResult).toBe("ABANDON");
    // --retry-attempts 3 in the harness.
    expect(h.api.requests.filter((r) => r.method === "POST")).toHaveLength(3);
    expect(String(h.logs.find((l) => l.msg === "abandoning the launch")?.reason)).toContain(
      "registration with restyled.io failed: POST /admin/machines answered 502",
    );
    expect(await stop(agent)).toBe(true);
  });

  it("abandons with a clear reason when the token is wrong", async () => {
    const queue = queues.create();
    harness = await createHarness({ queue: { sqs: queues.sqs, queueUrl: queue.queueUrl } });
    const h = harness;
    h.ctx.api = createRestyledApi({ baseUrl: h.api.url, token: "wrong-token", attempts: 3 });
    const agent = startAgent(h);
    await queues.send(queue.queueUrl, notification(h.instanceId, "launching"));
    await waitFor(async () => h.completions().length > 0, {
      what: "completion",
      timeoutMs: 120_000,
      intervalMs: 20,
    });
    expect(h.completions()[0]?.input.LifecycleActionResult).toBe("ABANDON");
    expect(String(h.logs.find((l) => l.msg === "abandoning the launch")?.reason)).toContain(
      "the restyled.io API token is wrong",
    );
    expect(JSON.stringify(h.logs)).not.toContain("wrong-token");
    await stop(agent);
  });

  it("ignores other instances' notifications, test notifications and garbage", async () => {
    const queue = queues.create();
    harness = await createHarness({ queue: { sqs: queues.sqs, queueUrl: queue.queueUrl } });
    const h = harness;
    const agent = startAgent(h);
    await queues.send(queue.queueUrl, notification("i-0aaaaaaaaaaaaaaaa", "launching"));
    await queues.send(
      queue.queueUrl,
      '{"Event":"autoscaling:TEST_NOTIFICATION","AutoScalingGroupName":"g"}',
    );
    await queues.send(queue.queueUrl, "{not json");
    await h.waitForLog("ignoring a message that is not a lifecycle notification");
    await h.waitForLog("deleting Auto Scaling's test notification");
    await waitFor(
      async () => {
        const state = queues.server.inspectQueue(queue.name)!;
        return state.messages.ready.length === 1 && state.messages.inflight.length === 1;
      },
      { what: "foreign message visible, garbage hidden", timeoutMs: 120_000, intervalMs: 20 },
    );
    expect(h.calls).toEqual([]);
    // Only the start-up look-up for an earlier registration.
    expect(h.api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /admin/machines"]);
    expect(await stop(agent)).toBe(true);
    // Stopped before any launch: nothing to complete, nothing registered.
    expect(h.calls).toEqual([]);
  });

  it("polls the queue at once while the look-up of an earlier registration waits on restyled.io", async () => {
    const silent = await startSilentEndpoint();
    try {
      const queue = queues.create();
      // restyled.io accepts the connection and never answers.
      harness = await createHarness({
        restyledUrl: silent.url,
        queue: { sqs: queues.sqs, queueUrl: queue.queueUrl },
      });
      const h = harness;
      const agent = startAgent(h);
      await queues.send(queue.queueUrl, notification(h.instanceId, "launching", "early"));
      // The launch action is taken (and heartbeated) while the look-up hangs.
      await waitFor(
        async () => h.heartbeats().some((c) => c.input.LifecycleActionToken === "early"),
        { what: "the LAUNCHING action to be taken", timeoutMs: 15_000, intervalMs: 20 },
      );
      expect(h.logs.some((l) => l.msg === "could not look for an earlier registration")).toBe(
        false,
      );
      agent.signals.emit("SIGTERM");
      await agent.done;
      expect(h.completions()[0]?.input).toMatchObject({
        LifecycleActionToken: "early",
        LifecycleActionResult: "ABANDON",
      });
    } finally {
      await silent.close();
    }
  });
});

describe("launching without a queue", () => {
  it("exits at once with a failure when the daemon is unreachable: nothing to drain", async () => {
    const closedPort = await findFreePort();
    harness = await createHarness({ dockerPort: closedPort, flags: ["--retry-attempts", "2"] });
    const h = harness;
    const agent = startAgent(h);
    expect(await agent.done).toBe(false);
    const messages = h.logs.map((l) => l.msg);
    expect(messages).toContain("abandoning the launch");
    expect(messages).toContain("the launch failed; nothing to drain, exiting");
    expect(messages).not.toContain("waiting for running restyler containers");
    // Nothing registered, nothing asked of restyled.io but the one look-up.
    expect(h.api.machines.size).toBe(0);
    expect(h.api.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("stops cleanly on a signal during a failing launch, and a second signal restarts nothing", async () => {
    const closedPort = await findFreePort();
    harness = await createHarness({
      dockerPort: closedPort,
      flags: ["--retry-delay", "10s", "--retry-attempts", "10"],
    });
    const h = harness;
    const agent = startAgent(h);
    await h.waitForLog("daemon not answering yet");
    agent.signals.emit("SIGTERM");
    agent.signals.emit("SIGTERM");
    expect(await agent.done).toBe(true);
    const messages = h.logs.map((l) => l.msg);
    expect(messages).not.toContain("waiting for running restyler containers");
    expect(messages.filter((m) => m === "agent starting")).toHaveLength(1);
    expect(h.api.machines.size).toBe(0);
  });
});
