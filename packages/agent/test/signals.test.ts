import { findFreePort, waitFor } from "@restyled/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createHarness,
  finishedAt,
  type Harness,
  notification,
  type Queues,
  startAgent,
  startQueues,
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

const requestsTo = (h: Harness, method: string) =>
  h.api.requests.filter((r) => r.method === method);

/** Without a queue the agent registers at once and serves until a signal. */
async function servingWithoutQueue(flags: string[] = []) {
  harness = await createHarness({ flags });
  const h = harness;
  const agent = startAgent(h);
  await h.waitForLog("machine in service");
  return { h, agent };
}

async function terminating(flags: string[], jobSeconds: string) {
  const queue = queues.create();
  harness = await createHarness({ flags, queue: { sqs: queues.sqs, queueUrl: queue.queueUrl } });
  const h = harness;
  const agent = startAgent(h);
  await queues.send(queue.queueUrl, notification(h.instanceId, "launching"));
  await waitFor(async () => h.completions().length === 1, {
    what: "launch",
    timeoutMs: 120_000,
    intervalMs: 20,
  });
  const job = await h.runJob("401", ["sleep", jobSeconds]);
  await queues.send(queue.queueUrl, notification(h.instanceId, "terminating", "terminate-token"));
  await h.waitForLog("waiting for running restyler containers");
  return { h, agent, job };
}

describe("signals", () => {
  it("SIGTERM while idle disables, then deletes the machine and exits cleanly", async () => {
    const { h, agent } = await servingWithoutQueue();
    const machine = [...h.api.machines.values()][0]!;
    expect(machine.enabled).toBe(true);
    agent.signals.emit("SIGTERM");
    expect(await agent.done).toBe(true);
    const patch = requestsTo(h, "PATCH")[0]!;
    const del = requestsTo(h, "DELETE")[0]!;
    expect(patch.body.toString()).toBe('{"enabled":false}');
    expect(patch.at).toBeLessThanOrEqual(del.at);
    expect(h.api.machines.size).toBe(0);
    expect(h.calls).toEqual([]);
  });

  it("SIGINT while in service (with a queue) drains and de-registers without completing anything", async () => {
    const queue = queues.create();
    harness = await createHarness({ queue: { sqs: queues.sqs, queueUrl: queue.queueUrl } });
    const h = harness;
    const agent = startAgent(h);
    await queues.send(queue.queueUrl, notification(h.instanceId, "launching"));
    await waitFor(async () => h.completions().length === 1, {
      what: "launch",
      timeoutMs: 120_000,
      intervalMs: 20,
    });
    const job = await h.runJob("451", ["sleep", "2"]);
    agent.signals.emit("SIGINT");
    expect(await agent.done).toBe(true);
    expect(requestsTo(h, "DELETE")[0]!.at).toBeGreaterThanOrEqual(await finishedAt(job));
    expect(h.api.machines.size).toBe(0);
    expect(h.completions()).toHaveLength(1);
  });

  it("SIGTERM while draining lets the drain finish and still completes after the last job", async () => {
    const { h, agent, job } = await terminating([], "2");
    agent.signals.emit("SIGTERM");
    expect(await agent.done).toBe(true);
    const completion = h.completions().at(-1)!;
    expect(completion.input).toMatchObject({
      LifecycleActionToken: "terminate-token",
      LifecycleActionResult: "CONTINUE",
    });
    const exited = await finishedAt(job);
    expect(completion.at).toBeGreaterThanOrEqual(exited);
    // Well inside the 5 s re-list interval: the exit event ended the wait.
    expect(completion.at - exited).toBeLessThan(1_000);
    expect(h.logs.some((l) => l.msg === "forced stop: no more waiting for jobs")).toBe(false);
  });

  it("a second SIGTERM stops waiting for jobs but still de-registers and completes", async () => {
    const { h, agent, job } = await terminating([], "60");
    agent.signals.emit("SIGTERM");
    const forcedAt = Date.now();
    agent.signals.emit("SIGTERM");
    expect(await agent.done).toBe(true);
    // Well before the job's own 60 s end: the second signal cut the wait short.
    expect(Date.now() - forcedAt).toBeLessThan(30_000);
    expect(h.completions().at(-1)?.input).toMatchObject({
      LifecycleActionToken: "terminate-token",
      LifecycleActionResult: "CONTINUE",
    });
    expect(h.api.machines.size).toBe(0);
    expect((await job.inspect()).State.Running).toBe(true);
    expect(
      h.logs.find((l) => l.msg === "drain cut short by a second signal; jobs still running"),
    ).toMatchObject({
      jobIds: ["401"],
    });
    expect(agent.watchdogFired()).toBe(false);
  });

  it("SIGTERM during the launch abandons it at once", async () => {
    const queue = queues.create();
    // A daemon that never answers, and retries slow enough to still be waiting.
    const closedPort = await findFreePort();
    harness = await createHarness({
      dockerPort: closedPort,
      flags: ["--retry-delay", "60s", "--retry-attempts", "10"],
      queue: { sqs: queues.sqs, queueUrl: queue.queueUrl },
    });
    const h = harness;
    const agent = startAgent(h);
    await queues.send(queue.queueUrl, notification(h.instanceId, "launching"));
    await h.waitForLog("daemon not answering yet");
    const stoppedAt = Date.now();
    agent.signals.emit("SIGTERM");
    expect(await agent.done).toBe(true);
    // Well inside the 60 s retry delay: the signal ended the wait.
    expect(Date.now() - stoppedAt).toBeLessThan(30_000);
    expect(h.completions()[0]?.input.LifecycleActionResult).toBe("ABANDON");
    expect(h.logs.find((l) => l.msg === "abandoning the launch")?.reason).toBe(
      "the agent was stopped during the launch",
    );
  });
});
