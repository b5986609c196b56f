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
    // The jobs end when the test ends them, one after the other, once the
    // drain is under way: however slowly containers start on a busy machine.
    const jobs: Docker.Container[] = [];
    for (const id of ["103", "102", "101"]) jobs.push(await h.runJob(id, ["sleep", "60"]));
    await queues.send(queue.queueUrl, notification(h.instanceId, "terminating", "terminate-token"));
    await h.waitForLog("waiting for running restyler containers");
    const beats = () =>
      h.heartbeats().filter((c) => c.input.LifecycleActionToken === "terminate-token").length;
    for (const job of jobs) {
      const before = beats();
      await waitFor(async () => beats() >= before + 2, {
        what: "two more heartbeats",
        timeoutMs: 60_000,
        intervalMs: 20,
      });
      expect(h.completions()).toHaveLength(1);
      await job.kill();
    }
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
    expect(beats()).toBeGreaterThanOrEqual(6);
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

  it("stops waiting at the drain timeout, logs each job it cuts, and counts them in the completion", async () => {
    const { h, agent, queue, machine } = await inService(["--drain-timeout", "2s"]);
    await h.runJob("301", ["sleep", "60"]);
    await h.runJob("302", ["sleep", "60"]);
    // restyled.io also counts a third job whose container does not exist yet.
    h.api.machines.get(machine.id)!.jobCount = 3;
    await queues.send(queue.queueUrl, notification(h.instanceId, "terminating"));
    expect(await agent.done).toBe(true);
    const timedOut = h.logs.find((l) => l.msg === "drain timeout reached; jobs still running");
    expect([...((timedOut?.jobIds as string[]) ?? [])].sort()).toEqual(["301", "302"]);
    const cut = h.logs.filter((l) => l.msg === "job cut by the drain");
    expect(cut.map((l) => l.jobId).sort()).toEqual(["301", "302"]);
    expect(cut.every((l) => l.level === "warn" && l.reason === "timeout")).toBe(true);
    expect(
      h.logs.find((l) => l.msg === "jobs cut by the drain before their container existed"),
    ).toMatchObject({ count: 1, jobCount: 3 });
    expect(
      h.logs.find((l) => l.msg === "lifecycle action completed" && l.transition === "terminating"),
    ).toMatchObject({
      result: "CONTINUE",
      jobsCut: 3,
    });
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

  it("heartbeats as soon as it takes the action, before the hook's timeout is known", async () => {
    let answerHook: (seconds: number) => void = () => undefined;
    const queue = queues.create();
    harness = await createHarness({
      queue: { sqs: queues.sqs, queueUrl: queue.queueUrl },
      describeHook: () => new Promise<number>((resolve) => (answerHook = resolve)),
    });
    const h = harness;
    const agent = startAgent(h);
    await queues.send(queue.queueUrl, notification(h.instanceId, "launching", "launch-now"));
    // With DescribeLifecycleHooks unanswered, the launch's heartbeat still goes out.
    await waitFor(
      async () => h.heartbeats().some((c) => c.input.LifecycleActionToken === "launch-now"),
      { what: "a heartbeat before the hook was read", timeoutMs: 15_000, intervalMs: 20 },
    );
    answerHook(3600);
    await waitFor(async () => h.completions().length === 1, {
      what: "the launch to complete",
      timeoutMs: 20_000,
      intervalMs: 20,
    });
    await h.runJob("601", ["sleep", "60"]);
    await queues.send(queue.queueUrl, notification(h.instanceId, "terminating", "drain-now"));
    await waitFor(
      async () => h.heartbeats().some((c) => c.input.LifecycleActionToken === "drain-now"),
      { what: "a heartbeat for the TERMINATING action", timeoutMs: 15_000, intervalMs: 20 },
    );
    const first = h.heartbeats().find((c) => c.input.LifecycleActionToken === "drain-now")!;
    const disable = () =>
      h.api.requests.find((r) => r.method === "PATCH" && r.body.toString() === '{"enabled":false}');
    await waitFor(async () => disable() !== undefined, {
      what: "the disable",
      timeoutMs: 15_000,
      intervalMs: 20,
    });
    const disabled = disable()!;
    // Before anything slow: the heartbeat precedes even the disable.
    expect(first.at).toBeLessThanOrEqual(disabled.at);
    agent.signals.emit("SIGTERM");
    agent.signals.emit("SIGTERM");
    expect(await agent.done).toBe(true);
  });

  it("treats an action that expired during the drain as a failure and stops waiting", async () => {
    const { h, agent, queue } = await inService(["--heartbeat-interval", "200ms"]);
    const job = await h.runJob("602", ["sleep", "60"]);
    await queues.send(queue.queueUrl, notification(h.instanceId, "terminating", "expiring"));
    await h.waitForLog("waiting for running restyler containers");
    // The hook times out: Auto Scaling forgets the action.
    h.expired.add("expiring");
    expect(await agent.done).toBe(false);
    const errors = h.logs.filter((l) => l.level === "error").map((l) => l.msg);
    expect(errors).toEqual(
      expect.arrayContaining([
        "the lifecycle action expired: Auto Scaling refused a heartbeat",
        "the lifecycle action had expired: Auto Scaling no longer knows it",
      ]),
    );
    // It stopped waiting (the job still runs), de-registered, and dropped the message.
    expect((await job.inspect()).State.Running).toBe(true);
    expect(h.api.machines.size).toBe(0);
    const state = queues.server.inspectQueue(queue.name)!;
    expect(state.messages.ready.length + state.messages.inflight.length).toBe(0);
  });
});
