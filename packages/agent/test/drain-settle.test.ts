import { waitFor } from "@restyled/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import {
  createHarness,
  finishedAt,
  type Harness,
  notification,
  type Queues,
  startAgent,
  startQueues,
} from "./harness.js";

// The jobs the drain cannot see in Docker yet: real TLS dockerd and real
// restyler containers; restyled.io is the testkit's stand-in, whose machine
// `jobCount` plays restyled.io's count of dispatched, unfinished jobs.
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

async function inService(flags: string[]) {
  const queue = queues.create();
  harness = await createHarness({ flags, queue: { sqs: queues.sqs, queueUrl: queue.queueUrl } });
  const h = harness;
  const agent = startAgent(h);
  await queues.send(queue.queueUrl, notification(h.instanceId, "launching"));
  await waitFor(async () => h.completions().length === 1, {
    what: "the launch to complete",
    timeoutMs: 20_000,
    intervalMs: 20,
  });
  const machine = [...h.api.machines.values()][0]!;
  return { h, agent, queue, machine };
}

/** restyled.io's reads of this machine (the drain's job-count polls). */
const machineReads = (h: Harness, id: number) =>
  h.api.requests.filter((r) => r.method === "GET" && r.url === `/admin/machines/${id}`);

async function readsAfter(h: Harness, id: number, count: number) {
  const before = machineReads(h, id).length;
  await waitFor(async () => machineReads(h, id).length >= before + count, {
    what: `${count} more job-count reads`,
    timeoutMs: 20_000,
    intervalMs: 20,
  });
}

describe("the drain's settle window", () => {
  it("waits for a job dispatched before the disable whose container starts after the drain began", async () => {
    const { h, agent, queue, machine } = await inService(["--drain-settle", "1s"]);
    // The Webhooks service picked this machine just before the disable:
    // restyled.io counts the job, Docker has nothing yet (image pull, create).
    h.api.machines.get(machine.id)!.jobCount = 1;
    await queues.send(queue.queueUrl, notification(h.instanceId, "terminating", "late-job"));
    await h.waitForLog("waiting for running restyler containers");
    // Longer than the settle window with nothing in Docker.
    await readsAfter(h, machine.id, 3);
    expect(h.completions()).toHaveLength(1);
    const job = await h.runJob("501", ["sleep", "1"]);
    // restyled.io sees the job finish when its container exits.
    await job.wait();
    h.api.machines.get(machine.id)!.jobCount = 0;
    expect(await agent.done).toBe(true);

    const exited = await finishedAt(job);
    const completion = h.completions().at(-1)!;
    expect(completion.input).toMatchObject({
      LifecycleActionToken: "late-job",
      LifecycleActionResult: "CONTINUE",
    });
    expect(completion.at).toBeGreaterThanOrEqual(exited);
    const deleted = h.api.requests.find((r) => r.method === "DELETE")!;
    expect(deleted.at).toBeGreaterThanOrEqual(exited);
    expect(
      h.logs.find((l) => l.msg === "lifecycle action completed" && l.transition === "terminating"),
    ).toMatchObject({ jobsCut: 0 });
  });

  it("counts a restyler container created but not started as work", async () => {
    const { h, agent, queue, machine } = await inService(["--drain-settle", "1s"]);
    const container = await h.webhooks.createContainer({
      Image: inject("docker").image,
      Cmd: ["sleep", "1"],
      Labels: { restyler: "", "job-id": "502", "agent-test": h.testId },
      HostConfig: { NetworkMode: "none" },
    });
    await queues.send(queue.queueUrl, notification(h.instanceId, "terminating", "created-job"));
    await h.waitForLog("waiting for running restyler containers");
    await readsAfter(h, machine.id, 3);
    expect(h.completions()).toHaveLength(1);
    await container.start();
    expect(await agent.done).toBe(true);
    const completion = h.completions().at(-1)!;
    expect(completion.input.LifecycleActionToken).toBe("created-job");
    expect(completion.at).toBeGreaterThanOrEqual(await finishedAt(container));
  });

  it("falls back to Docker alone after the settle window when restyled.io cannot be read", async () => {
    const { h, agent, queue, machine } = await inService(["--drain-settle", "1s"]);
    // A count that would hold the drain for ever, behind an API that fails.
    h.api.machines.get(machine.id)!.jobCount = 1;
    h.api.injectFailure({
      method: "GET",
      path: new RegExp(`^/admin/machines/${machine.id}$`),
      status: 503,
      times: 10_000,
    });
    const job = await h.runJob("503", ["sleep", "1"]);
    await queues.send(queue.queueUrl, notification(h.instanceId, "terminating", "fallback"));
    expect(await agent.done).toBe(true);

    const completion = h.completions().at(-1)!;
    expect(completion.input).toMatchObject({
      LifecycleActionToken: "fallback",
      LifecycleActionResult: "CONTINUE",
    });
    expect(completion.at).toBeGreaterThanOrEqual(await finishedAt(job));
    const firstFailure = h.api.requests.find(
      (r) => r.method === "GET" && r.url === `/admin/machines/${machine.id}`,
    )!;
    // Not before restyled.io had been unreadable for the whole window.
    expect(completion.at - firstFailure.at).toBeGreaterThanOrEqual(1_000);
    const messages = h.logs.map((l) => l.msg);
    expect(messages).toContain("could not read the machine's job count from restyled.io");
    expect(messages).toContain(
      "restyled.io unreadable for the settle window; Docker alone decides",
    );
    expect(messages).toContain(
      "no restyler container in flight (restyled.io could not be read; Docker alone decided)",
    );
    expect(h.api.machines.size).toBe(0);
  });
});
