import { EventEmitter } from "node:events";
import { findFreePort, waitFor } from "@restyled/testkit";
import { startTcpProxy, type TcpProxy } from "@restyled/testkit/tcp-proxy";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { AgentContext } from "../src/context.js";
import { createDockerClient } from "../src/docker/client.js";
import { runAgent } from "../src/main.js";
import {
  capturingLogger,
  createHarness,
  type Harness,
  notification,
  type Queues,
  startAgent,
  startQueues,
} from "./harness.js";

// The warm pool's lifecycle transitions (AWS "Use lifecycle hooks with a warm
// pool"), against the same parts as the launch and drain tests: restyled.io's
// contract stand-in, fauxqs for SQS, Auto Scaling mocked with the SDK's own
// client, and the real dockerd over mutual TLS. A "start" of the instance is
// a fresh agent on the same instance id; its new public host name is a TCP
// proxy to the same daemon (another endpoint, as after a stop and start).

let queues: Queues;
let harness: Harness | undefined;
const proxies: TcpProxy[] = [];
beforeAll(async () => {
  queues = await startQueues();
});
afterAll(() => queues.close());
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

const INTO_POOL = { origin: "EC2", destination: "WarmPool" };
const OUT_OF_POOL = { origin: "WarmPool", destination: "AutoScalingGroup" };
const BACK_TO_POOL = { origin: "AutoScalingGroup", destination: "WarmPool" };
const DIRECT = { origin: "EC2", destination: "AutoScalingGroup" };

async function withQueue(options: Parameters<typeof createHarness>[0] = {}) {
  const queue = queues.create();
  harness = await createHarness({
    ...options,
    queue: { sqs: queues.sqs, queueUrl: queue.queueUrl },
  });
  return { h: harness, queue };
}

const requests = (h: Harness) => h.api.requests.map((r) => `${r.method} ${r.url}`);
const completionsFor = (h: Harness, token: string) =>
  h.completions().filter((c) => c.input.LifecycleActionToken === token);

async function completed(h: Harness, token: string) {
  await waitFor(async () => completionsFor(h, token).length > 0, {
    what: `CompleteLifecycleAction for ${token}`,
    timeoutMs: 120_000,
    intervalMs: 20,
  });
  return completionsFor(h, token)[0]!.input;
}

/** The start-up look-up for an earlier registration has reached restyled.io. */
async function lookedUp(h: Harness, count = 1) {
  await waitFor(
    async () => requests(h).filter((r) => r === "GET /admin/machines").length >= count,
    {
      what: "the start-up look-up",
      timeoutMs: 60_000,
      intervalMs: 20,
    },
  );
}

async function queueEmpty(name: string) {
  await waitFor(
    async () => {
      const state = queues.server.inspectQueue(name)!;
      return state.messages.ready.length + state.messages.inflight.length === 0;
    },
    { what: "the message to be deleted", timeoutMs: 120_000, intervalMs: 20 },
  );
}

/**
 * Another start of the same instance: a fresh agent whose daemon endpoint
 * (its public host name) is a new proxy to the same dockerd, with its own log
 * and, when given, its own queue URL.
 */
async function nextStart(h: Harness, queueUrl = h.ctx.config.queueUrl) {
  const proxy = await startTcpProxy({ host: "127.0.0.1", port: inject("docker").port });
  proxies.push(proxy);
  const dockerHost = `tcp://127.0.0.1:${proxy.port}`;
  const { log, logs, waitForLog } = capturingLogger();
  const ctx: AgentContext = {
    ...h.ctx,
    log,
    config: { ...h.ctx.config, dockerHost, queueUrl },
    docker: createDockerClient(dockerHost, h.ctx.certificates, 5_000),
  };
  const signals = new EventEmitter();
  const done = runAgent(ctx, signals, () => undefined);
  return { dockerHost, logs, signals, done, waitForLog };
}

describe("a launch into the warm pool", () => {
  it("checks the daemon, registers nothing, completes CONTINUE and stops cleanly on SIGTERM", async () => {
    const { h, queue } = await withQueue();
    const agent = startAgent(h);
    await lookedUp(h);
    await queues.send(
      queue.queueUrl,
      notification(h.instanceId, "launching", "into-pool", INTO_POOL),
    );
    expect(await completed(h, "into-pool")).toMatchObject({
      LifecycleActionResult: "CONTINUE",
      InstanceId: h.instanceId,
      LifecycleHookName: "restyled-machine-test-launching",
    });
    await queueEmpty(queue.name);
    expect(
      await h.waitForLog(
        "prepared for the warm pool: the daemon answers over mutual TLS; not registered at restyled.io",
      ),
    ).toMatchObject({ transition: "launching", dockerHost: h.ctx.config.dockerHost });
    // The daemon was really asked, over mutual TLS, before the completion.
    expect(h.logs.some((l) => l.msg === "daemon not answering yet")).toBe(false);

    // Auto Scaling stops the instance: systemd's SIGTERM.
    agent.signals.emit("SIGTERM");
    expect(await agent.done).toBe(true);
    expect(
      h.logs.some(
        (l) =>
          l.msg === "stopping: prepared for the warm pool and never registered; nothing to drain",
      ),
    ).toBe(true);
    await h.waitForLog("stopped in the warm pool: never registered, nothing to drain");
    const messages = h.logs.map((l) => l.msg);
    expect(messages).not.toContain("waiting for running restyler containers");
    expect(messages).not.toContain("machine registered");
    // Only the start-up look-up: no registration, no de-registration, no lookup at the stop.
    expect(requests(h)).toEqual(["GET /admin/machines"]);
    expect(h.api.machines.size).toBe(0);
    expect(h.completions()).toHaveLength(1);
  });

  it("abandons when the daemon never answers, so Auto Scaling replaces the instance", async () => {
    const closedPort = await findFreePort();
    const { h, queue } = await withQueue({ dockerPort: closedPort });
    const agent = startAgent(h);
    await queues.send(queue.queueUrl, notification(h.instanceId, "launching", "broken", INTO_POOL));
    expect((await completed(h, "broken")).LifecycleActionResult).toBe("ABANDON");
    const abandoned = await h.waitForLog("abandoning the launch into the warm pool");
    expect(String(abandoned.reason)).toContain(
      `the Docker daemon at tcp://127.0.0.1:${closedPort} did not answer`,
    );
    expect(h.api.requests.filter((r) => r.method !== "GET")).toEqual([]);
    agent.signals.emit("SIGTERM");
    expect(await agent.done).toBe(true);
    expect(h.api.machines.size).toBe(0);
  });
});

describe("a launch straight into the group (no warm pool involved)", () => {
  it.each([
    ["Origin EC2, Destination AutoScalingGroup", DIRECT],
    ["no Origin and no Destination", { origin: undefined, destination: undefined }],
  ])("registers as before with %s", async (_name, route) => {
    const { h, queue } = await withQueue();
    const agent = startAgent(h);
    await queues.send(queue.queueUrl, notification(h.instanceId, "launching", "direct", route));
    expect((await completed(h, "direct")).LifecycleActionResult).toBe("CONTINUE");
    expect([...h.api.machines.values()]).toMatchObject([
      { name: h.machineName, host: h.ctx.config.dockerHost, enabled: true },
    ]);
    const messages = h.logs.map((l) => String(l.msg));
    expect(messages.filter((m) => /warm pool/.test(m))).toEqual([]);
    agent.signals.emit("SIGTERM");
    expect(await agent.done).toBe(true);
    // Today's stop: drained and de-registered.
    expect(h.api.machines.size).toBe(0);
  });
});

describe("the warm pool's cycle of one instance", () => {
  it("prepares, launches out of the pool, returns to it, and registers the next start's host", async () => {
    const { h, queue } = await withQueue();

    // First start: launched into the pool, then stopped by Auto Scaling.
    const first = startAgent(h);
    await queues.send(queue.queueUrl, notification(h.instanceId, "launching", "t1", INTO_POOL));
    expect((await completed(h, "t1")).LifecycleActionResult).toBe("CONTINUE");
    await queueEmpty(queue.name);
    first.signals.emit("SIGTERM");
    expect(await first.done).toBe(true);
    expect(h.api.machines.size).toBe(0);

    // Second start, out of the pool: a new host name. Its own queue: the
    // long poll the SIGTERM cut is still open at the stand-in and would hide
    // the next message for the visibility timeout (a real start is a boot later).
    const next = queues.create();
    const second = await nextStart(h, next.queueUrl);
    await queues.send(next.queueUrl, notification(h.instanceId, "launching", "t2", OUT_OF_POOL));
    expect((await completed(h, "t2")).LifecycleActionResult).toBe("CONTINUE");
    expect(
      await second.waitForLog(
        "leaving the warm pool: registering with this start's host name and certificates",
      ),
    ).toMatchObject({ dockerHost: second.dockerHost, transition: "launching" });
    const registered = [...h.api.machines.values()];
    expect(registered).toMatchObject([
      {
        name: h.machineName,
        host: second.dockerHost,
        enabled: true,
        caCert: h.ctx.certificates.ca,
        cert: h.ctx.certificates.cert,
      },
    ]);

    // Scale-in with ReuseOnScaleIn: back to the pool through today's drain.
    const job = await h.runJob("501", ["sleep", "60"]);
    await queues.send(next.queueUrl, notification(h.instanceId, "terminating", "t3", BACK_TO_POOL));
    await second.waitForLog("returning to the warm pool: draining, then de-registering");
    await second.waitForLog("waiting for running restyler containers");
    expect(completionsFor(h, "t3")).toEqual([]);
    await job.kill();
    // The agent ends by itself once the action is completed: no signal.
    expect(await second.done).toBe(true);
    expect((await completed(h, "t3")).LifecycleActionResult).toBe("CONTINUE");
    expect(
      await second.waitForLog(
        "returned to the warm pool: the instance stops next; the agent of its next start answers the launch out of the pool",
      ),
    ).toMatchObject({ transition: "terminating" });
    const patches = h.api.requests.filter((r) => r.method === "PATCH");
    expect(patches.map((r) => r.body.toString())).toEqual(['{"enabled":false}']);
    expect(h.api.requests.filter((r) => r.method === "DELETE").map((r) => r.url)).toEqual([
      `/admin/machines/${registered[0]!.id}`,
    ]);
    expect(h.api.machines.size).toBe(0);
    // Nothing registered again after the return to the pool.
    const posts = () => h.api.requests.filter((r) => r.method === "POST");
    expect(posts()).toHaveLength(1);
    await queueEmpty(next.name);

    // Third start, out of the pool again: another host name, a fresh registration.
    const third = await nextStart(h, next.queueUrl);
    await queues.send(next.queueUrl, notification(h.instanceId, "launching", "t4", OUT_OF_POOL));
    expect((await completed(h, "t4")).LifecycleActionResult).toBe("CONTINUE");
    expect([...h.api.machines.values()]).toMatchObject([
      { name: h.machineName, host: third.dockerHost, enabled: true },
    ]);
    expect(posts()).toHaveLength(2);
    third.signals.emit("SIGTERM");
    expect(await third.done).toBe(true);
    expect(h.api.machines.size).toBe(0);
  });
});

describe("a registration left by an earlier start", () => {
  it("is neither resumed nor reused after a warm start whose de-registration had failed", async () => {
    const { h, queue } = await withQueue();
    const second = await nextStart(h);
    await queues.send(queue.queueUrl, notification(h.instanceId, "launching", "out", OUT_OF_POOL));
    expect((await completed(h, "out")).LifecycleActionResult).toBe("CONTINUE");
    const old = [...h.api.machines.values()][0]!;
    expect(old.host).toBe(second.dockerHost);

    // restyled.io fails every attempt to de-register (--retry-attempts 3).
    h.api.injectFailure({ method: "DELETE", status: 502, times: 3 });
    await queues.send(
      queue.queueUrl,
      notification(h.instanceId, "terminating", "back", BACK_TO_POOL),
    );
    expect(await second.done).toBe(true);
    expect((await completed(h, "back")).LifecycleActionResult).toBe("CONTINUE");
    expect(second.logs.map((l) => l.msg)).toContain(
      "could not delete the machine from the registry",
    );
    expect([...h.api.machines.values()]).toMatchObject([{ id: old.id, enabled: false }]);
    await queueEmpty(queue.name);

    // The next start: its look-up finds the old entry and leaves it alone.
    const posts = h.api.requests.filter((r) => r.method === "POST").length;
    const patches = h.api.requests.filter((r) => r.method === "PATCH").length;
    const third = await nextStart(h);
    expect(
      await third.waitForLog(
        "not resuming an earlier registration: it is not this start's (host name or certificates changed)",
      ),
    ).toMatchObject({
      machineId: old.id,
      differs: ["host"],
      registeredHost: second.dockerHost,
      host: third.dockerHost,
    });
    expect(third.logs.map((l) => l.msg)).not.toContain(
      "resuming service: the machine was registered by an earlier run",
    );
    expect(h.api.requests.filter((r) => r.method === "PATCH")).toHaveLength(patches);

    // The launch out of the pool replaces it with this start's host.
    await queues.send(
      queue.queueUrl,
      notification(h.instanceId, "launching", "again", OUT_OF_POOL),
    );
    expect((await completed(h, "again")).LifecycleActionResult).toBe("CONTINUE");
    expect(
      await third.waitForLog("replacing a registration from an earlier start of this instance"),
    ).toMatchObject({ machineId: old.id, differs: ["host"] });
    const now = [...h.api.machines.values()];
    expect(now).toMatchObject([{ name: h.machineName, host: third.dockerHost, enabled: true }]);
    expect(now[0]!.id).not.toBe(old.id);
    expect(h.api.requests.filter((r) => r.method === "POST")).toHaveLength(posts + 1);
    // Never re-enabled under the old host.
    expect(
      h.api.requests.filter(
        (r) =>
          r.method === "PATCH" &&
          r.url === `/admin/machines/${old.id}` &&
          r.body.toString() === '{"enabled":true}',
      ),
    ).toEqual([]);
    third.signals.emit("SIGTERM");
    expect(await third.done).toBe(true);
    expect(h.api.machines.size).toBe(0);
  });

  it("is replaced when only its certificates differ (re-issued at boot, same host)", async () => {
    const { h, queue } = await withQueue();
    const stale = h.api.seedMachine({
      name: h.machineName,
      host: h.ctx.config.dockerHost,
      caCert: "-----BEGIN CERTIFICATE-----\nan earlier boot's CA\n-----END CERTIFICATE-----\n",
      cert: "-----BEGIN CERTIFICATE-----\nan earlier boot's client\n-----END CERTIFICATE-----\n",
      key: "an earlier boot's key",
      enabled: false,
    });
    const agent = startAgent(h);
    expect(
      await h.waitForLog(
        "not resuming an earlier registration: it is not this start's (host name or certificates changed)",
      ),
    ).toMatchObject({
      machineId: stale.id,
      differs: ["certificate authority", "client certificate", "client key"],
    });
    await queues.send(queue.queueUrl, notification(h.instanceId, "launching", "l", OUT_OF_POOL));
    expect((await completed(h, "l")).LifecycleActionResult).toBe("CONTINUE");
    const now = [...h.api.machines.values()];
    expect(now).toMatchObject([
      { host: h.ctx.config.dockerHost, caCert: h.ctx.certificates.ca, enabled: true },
    ]);
    expect(now[0]!.id).not.toBe(stale.id);
    // Keys never reach a log line, stale or current.
    expect(JSON.stringify(h.logs)).not.toContain("an earlier boot's key");
    expect(JSON.stringify(h.logs)).not.toContain("PRIVATE KEY");
    agent.signals.emit("SIGTERM");
    expect(await agent.done).toBe(true);
  });
});

describe("a malformed Origin or Destination", () => {
  it.each([
    [
      "an unknown Destination",
      { origin: "EC2", destination: "Pool" },
      'unknown Destination "Pool"',
    ],
    ["a numeric Origin", { origin: 7, destination: "WarmPool" }, "unknown Origin 7"],
  ])(
    "leaves the message to the redrive policy with %s, logged as an error",
    async (_name, route, reason) => {
      const { h, queue } = await withQueue();
      const agent = startAgent(h);
      await lookedUp(h);
      await queues.send(queue.queueUrl, notification(h.instanceId, "launching", "bad", route));
      const logged = await h.waitForLog(
        "ignoring a malformed lifecycle notification for this instance: its hook will time out",
      );
      expect(logged).toMatchObject({ level: "error", forInstance: h.instanceId });
      expect(String(logged.reason)).toContain(reason);
      // Not deleted: hidden until its visibility timeout, then redriven.
      const state = queues.server.inspectQueue(queue.name)!;
      expect(state.messages.ready.length + state.messages.inflight.length).toBe(1);
      expect(h.calls).toEqual([]);
      expect(requests(h)).toEqual(["GET /admin/machines"]);
      agent.signals.emit("SIGTERM");
      expect(await agent.done).toBe(true);
      expect(h.calls).toEqual([]);
      expect(h.api.machines.size).toBe(0);
    },
  );
});
