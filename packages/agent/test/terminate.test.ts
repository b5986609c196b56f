import { waitFor } from "@restyled/testkit";
import type Docker from "dockerode";
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

/** An agent in service: launched through its LAUNCHING notification. */
async function inService(flags: string[] = []) {
  const queue = queues.create();
  harness = await createHarness({ flags, queue: { sqs: queues.sqs, queueUrl: queue.queueUrl } });
  const h = harness;
  const agent = startAgent(h);
  await queues.send(queue.queueUrl, notification(h.instanceId, "launching"));
  await waitFor(async () => h.completions().length === 1, {
    what: "the launch to complete",
    timeoutMs: 120_000,
    intervalMs: 20,
  });
  expect(h.completions()[0]?.input.LifecycleActionResult).toBe("CONTINUE");
  const machine = [...h.api.machines.values()][0]!;
  return { h, agent, queue, machine };
}

const requestsTo = (h: Harness, method: string) =>
  h.api.requests.filter((r) => r.method === method);

describe("terminating", () => {
  it("disables first, waits for three jobs, heartbeats, deletes, then completes CONTINUE", async () => {
    const { h, agent, queue, machine } = await inService(["--heartbeat-interval", "300ms"]);
    // The jobs run until the test has seen the disable and the heartbeats, then
    // end one by one: no race between sleep lengths and a busy machine.
    const jobs: Docker.Container[] = [];
    for (const id of ["103", "102", "101"]) jobs.push(await h.runJob(id, ["sleep", "120"]));
    await queues.send(queue.queueUrl, notification(h.instanceId, "terminating", "terminate-token"));
    const terminateHeartbeats = () =>
      h.heartbeats().filter((c) => c.input.LifecycleActionToken === "terminate-token");
    await waitFor(async () => terminateHeartbeats().length >= 5, {
      what: "five heartbeats while the jobs run",
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    for (const job of jobs) await job.kill();
    expect(await agent.done).toBe(true);

    const exits = await Promise.all(jobs.map(finishedAt));
    const firstExit = Math.min(...exits);
    const lastExit = Math.max(...exits);
    const disabled = requestsTo(h, "PATCH").find((r) => r.body.toString() === '{"enabled":false}');
    expect(disabled).toBeDefined();
    expect(disabled!.at).toBeLessThan(firstExit);
    const deleted = requestsTo(h, "DELETE");
    expect(deleted.map((r) => r.url)).toEqual([`/admin/machines/${machine.id}`]);
    expect(deleted[0]!.at).toBeGreaterThanOrEqual(lastExit);
    expect(h.api.machines.size).toBe(0);

    const completion = h.completions()[1]!;
    expect(completion.input).toMatchObject({
      LifecycleActionResult: "CONTINUE",
      LifecycleActionToken: "terminate-token",
      LifecycleHookName: "restyled-machine-test-terminating",
    });
    expect(completion.at).toBeGreaterThanOrEqual(lastExit);
    expect(terminateHeartbeats().length).toBeGreaterThanOrEqual(5);
    // The message is only deleted after the completion.
    const state = queues.server.inspectQueue(queue.name)!;
    expect(state.messages.ready.length + state.messages.inflight.length).toBe(0);
  });

  it("keeps the action alive with heartbeats through a drain longer than the hook's timeout", async () => {
    // The hook's HeartbeatTimeout is played by HOOK_TIMEOUT: the drain lasts
    // several times as long, and AWS must never go that long without a call.
    // (4 s with a heartbeat a second: a gap that long means a missed heartbeat,
    // not a busy machine.) The job runs until the drain has outlasted it twice.
    const HOOK_TIMEOUT = 4_000;
    const { h, agent, queue } = await inService(["--heartbeat-interval", `${HOOK_TIMEOUT / 4}ms`]);
    const job = await h.runJob("201", ["sleep", "120"]);
    await queues.send(queue.queueUrl, notification(h.instanceId, "terminating", "long-drain"));
    const received = Date.now();
    await waitFor(
      async () =>
        h.calls.some(
          (c) =>
            c.input.LifecycleActionToken === "long-drain" && c.at - received > 2 * HOOK_TIMEOUT,
        ),
      { what: "the drain to outlast the hook's timeout twice", timeoutMs: 120_000, intervalMs: 50 },
    );
    await job.kill();
    expect(await agent.done).toBe(true);
    const lastExit = await finishedAt(job);
    expect(lastExit - received).toBeGreaterThan(2 * HOOK_TIMEOUT);
    const times = [
      received,
      ...h.calls.filter((c) => c.input.LifecycleActionToken === "long-drain").map((c) => c.at),
    ];
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBeLessThan(HOOK_TIMEOUT);
    expect(h.calls.at(-1)?.command).toBe("complete");
  });

  it("stops waiting at the drain timeout, logs the job ids still running, and completes", async () => {
    const { h, agent, queue } = await inService(["--drain-timeout", "1s"]);
    await h.runJob("301", ["sleep", "60"]);
    await h.runJob("302", ["sleep", "60"]);
    const started = Date.now();
    await queues.send(queue.queueUrl, notification(h.instanceId, "terminating"));
    expect(await agent.done).toBe(true);
    // Well before the jobs' own 60 s end: the drain timeout ended the wait.
    expect(Date.now() - started).toBeLessThan(45_000);
    const timedOut = h.logs.find((l) => l.msg === "drain timeout reached; jobs still running");
    expect([...((timedOut?.jobIds as string[]) ?? [])].sort()).toEqual(["301", "302"]);
    expect(h.completions().at(-1)?.input.LifecycleActionResult).toBe("CONTINUE");
    expect(h.api.machines.size).toBe(0);
  });

  it("still completes when restyled.io answers 500 throughout de-registration", async () => {
    const { h, agent, queue, machine } = await inService();
    h.api.injectFailure({ method: "PATCH", status: 500, times: 100 });
    h.api.injectFailure({ method: "DELETE", status: 500, times: 100 });
    await queues.send(queue.queueUrl, notification(h.instanceId, "terminating"));
    expect(await agent.done).toBe(true);
    expect(h.completions().at(-1)?.input.LifecycleActionResult).toBe("CONTINUE");
    // Bounded: --retry-attempts 3 each, then the completion is sent anyway.
    expect(requestsTo(h, "PATCH")).toHaveLength(3);
    expect(requestsTo(h, "DELETE")).toHaveLength(3);
    expect(h.logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        "could not disable the machine; draining anyway",
        "could not delete the machine from the registry",
      ]),
    );
    // Nothing was lost: the machine is still there for an operator (or reconcile) to remove.
    expect(h.api.machines.get(machine.id)).toBeDefined();
  });

  it("rides out a few 500s from restyled.io with retries and de-registers", async () => {
    const { h, agent, queue } = await inService();
    h.api.injectFailure({ method: "PATCH", status: 500, times: 2 });
    h.api.injectFailure({ method: "DELETE", status: 503, times: 2 });
    await queues.send(queue.queueUrl, notification(h.instanceId, "terminating"));
    expect(await agent.done).toBe(true);
    expect(h.api.machines.size).toBe(0);
    expect(h.completions().at(-1)?.input.LifecycleActionResult).toBe("CONTINUE");
  });

  it("retries the completion itself when Auto Scaling fails, under its deadline", async () => {
    const { h, agent, queue } = await inService();
    h.failures.complete = 2;
    await queues.send(queue.queueUrl, notification(h.instanceId, "terminating"));
    expect(await agent.done).toBe(true);
    expect(h.failures.complete).toBe(0);
    expect(h.completions().at(-1)?.input.LifecycleActionResult).toBe("CONTINUE");
    expect(h.logs.filter((l) => l.msg === "CompleteLifecycleAction failed; retrying")).toHaveLength(
      2,
    );
  });
});
