import { readFileSync } from "node:fs";
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAgentLogger } from "../logger.js";
import type { LifecycleAction } from "./message.js";
import { type HandledAction, pollLifecycleQueue } from "./queue.js";

// SQS is fauxqs, an SQS endpoint in this process with real long polling,
// visibility timeouts and deletes; message bodies are the AWS-shaped fixtures.
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8");
const OURS = "i-0598c7d356eba48d7";

let server: FauxqsServer;
let sqs: SQSClient;
let queueCount = 0;
beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  sqs = new SQSClient({
    endpoint: server.address,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
});
afterAll(async () => {
  sqs.destroy();
  await server.stop();
});

function newQueue() {
  queueCount += 1;
  const name = `lifecycle-${queueCount}`;
  const { queueUrl } = server.createQueue(name, { attributes: { VisibilityTimeout: "60" } });
  return { name, queueUrl };
}

/**
 * Aborts once `done()` holds (checked as the poll logs), or after a generous
 * hang guard: the tests wait for what they look at, not for a clock.
 */
function abortWhen(controller: AbortController, done: () => boolean): () => void {
  const check = setInterval(() => {
    if (done()) controller.abort();
  }, 10);
  const guard = setTimeout(() => controller.abort(), 30_000);
  return () => {
    clearInterval(check);
    clearTimeout(guard);
  };
}

function logs() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    log: createAgentLogger({
      level: "debug",
      write: (l) => {
        lines.push(JSON.parse(l));
        if (process.env.DEBUG_LOGS) process.stderr.write(`${l}\n`);
      },
    }),
  };
}

async function send(queueUrl: string, body: string) {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
}

describe("pollLifecycleQueue", () => {
  it("handles our action, deletes test notifications, releases others and leaves garbage", async () => {
    const { name, queueUrl } = newQueue();
    const foreign = fixture("direct-launching").replace(OURS, "i-0aaaaaaaaaaaaaaaa");
    await send(queueUrl, foreign);
    await send(queueUrl, fixture("test-notification"));
    await send(queueUrl, "this is not json");
    await send(queueUrl, fixture("direct-launching"));
    const { log, lines } = logs();
    const handled: LifecycleAction[] = [];
    const controller = new AbortController();
    await pollLifecycleQueue({
      sqs,
      queueUrl,
      instanceId: OURS,
      log,
      signal: controller.signal,
      waitTimeSeconds: 1,
      retryDelayMs: 10,
      handle: async (action) => {
        handled.push(action);
        // While we handle ours, the other instance's message is already visible again.
        const state = server.inspectQueue(name)!;
        expect(state.messages.ready.map((m) => m.body)).toEqual([foreign]);
        return { completed: true, stop: true };
      },
    });
    expect(handled).toEqual([
      expect.objectContaining({ instanceId: OURS, transition: "launching" }),
    ]);
    const state = server.inspectQueue(name)!;
    // Garbage stays hidden, for the redrive policy; ours and the test notification are gone.
    expect(state.messages.inflight.map((m) => m.message.body)).toEqual(["this is not json"]);
    expect(state.messages.ready.map((m) => m.body)).toEqual([foreign]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        msg: "ignoring a message that is not a lifecycle notification",
        excerpt: "this is not json",
        reason: "not a JSON object",
      }),
    );
  });

  it("understands SNS-wrapped and EventBridge notifications", async () => {
    const { queueUrl } = newQueue();
    await send(queueUrl, fixture("eventbridge-launching"));
    const controller = new AbortController();
    const handled: string[] = [];
    const { log } = logs();
    const poll = pollLifecycleQueue({
      sqs,
      queueUrl,
      instanceId: OURS,
      log,
      signal: controller.signal,
      waitTimeSeconds: 1,
      retryDelayMs: 10,
      handle: async (action): Promise<HandledAction> => {
        handled.push(action.transition);
        if (action.transition === "launching") await send(queueUrl, fixture("sns-terminating"));
        return { completed: true, stop: action.transition === "terminating" };
      },
    });
    await poll;
    expect(handled).toEqual(["launching", "terminating"]);
  });

  it("keeps a message whose action was not completed, so it comes back", async () => {
    const { name, queueUrl } = newQueue();
    await send(queueUrl, fixture("direct-terminating"));
    const { log } = logs();
    await pollLifecycleQueue({
      sqs,
      queueUrl,
      instanceId: OURS,
      log,
      signal: new AbortController().signal,
      waitTimeSeconds: 1,
      retryDelayMs: 10,
      handle: async () => ({ completed: false, stop: true }),
    });
    expect(server.inspectQueue(name)!.messages.inflight).toHaveLength(1);
  });

  it("does not spin on another instance's message it keeps releasing", async () => {
    const { name, queueUrl } = newQueue();
    const foreign = fixture("direct-launching").replace(OURS, "i-0aaaaaaaaaaaaaaaa");
    await send(queueUrl, foreign);
    const { log, lines } = logs();
    const controller = new AbortController();
    const releases = () =>
      lines.filter((l) => l.msg === "releasing another instance's lifecycle message");
    const stopWatching = abortWhen(controller, () => releases().length >= 3);
    await pollLifecycleQueue({
      sqs,
      queueUrl,
      instanceId: OURS,
      log,
      signal: controller.signal,
      waitTimeSeconds: 1,
      retryDelayMs: 10,
      releasePauseMs: 250,
      handle: async () => ({ completed: true, stop: true }),
    }).finally(stopWatching);
    // Not spinning: every release waits out the pause after the one before.
    const times = releases().map((l) => Date.parse(String(l.time)));
    expect(times.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(245);
    }
    expect(server.inspectQueue(name)!.messages.ready.map((m) => m.body)).toEqual([foreign]);
  });

  it("waits longer and longer while it sees only other instances' messages", async () => {
    const { queueUrl } = newQueue();
    await send(queueUrl, fixture("direct-launching").replace(OURS, "i-0aaaaaaaaaaaaaaaa"));
    const { log, lines } = logs();
    const controller = new AbortController();
    const stopWatching = abortWhen(
      controller,
      () =>
        lines.filter((l) => l.msg === "releasing another instance's lifecycle message").length >= 5,
    );
    await pollLifecycleQueue({
      sqs,
      queueUrl,
      instanceId: OURS,
      log,
      signal: controller.signal,
      waitTimeSeconds: 1,
      retryDelayMs: 10,
      releasePauseMs: 100,
      releasePauseMaxMs: 400,
      handle: async () => ({ completed: true, stop: true }),
    }).finally(stopWatching);
    const times = lines
      .filter((l) => l.msg === "releasing another instance's lifecycle message")
      .map((l) => Date.parse(String(l.time)));
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
    // Each gap is at least the pause before it: 100, 200, 400, then capped at 400.
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    [100, 200, 400, 400].slice(0, gaps.length).forEach((pause, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(pause - 5);
    });
  });

  it("never pauses longer than 5 s between polls, a sixth of the shortest hook timeout", async () => {
    // SQS answers at once with another instance's notification, every time.
    const mock = mockClient(SQSClient);
    mock.on(ReceiveMessageCommand).resolves({
      Messages: [
        {
          MessageId: "m-1",
          ReceiptHandle: "r-1",
          Body: fixture("direct-terminating").replace(OURS, "i-0aaaaaaaaaaaaaaaa"),
          Attributes: { SentTimestamp: String(Date.now()) },
        },
      ],
    });
    const { log, lines } = logs();
    const controller = new AbortController();
    const pauses = () =>
      lines.filter((l) => String(l.msg).startsWith("pausing before the next poll"));
    try {
      const poll = pollLifecycleQueue({
        sqs: new SQSClient({ region: "us-east-1" }),
        queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/lifecycle",
        instanceId: OURS,
        log,
        signal: controller.signal,
        retryDelayMs: 10,
        // Starts high so the cap is reached after two pauses (3 s, 5 s).
        releasePauseMs: 3_000,
        handle: async () => ({ completed: true, stop: true }),
      });
      await vi.waitFor(() => expect(pauses().length).toBeGreaterThanOrEqual(3), {
        timeout: 30_000,
        interval: 50,
      });
      controller.abort();
      await poll;
    } finally {
      mock.restore();
    }
    expect(pauses().map((l) => l.pauseMs)).toEqual(
      [3_000, 5_000, 5_000, 5_000].slice(0, pauses().length),
    );
  });

  it("deletes another instance's message once no hook could still be waiting for it", async () => {
    const { name, queueUrl } = newQueue();
    await send(queueUrl, fixture("direct-terminating").replace(OURS, "i-0bbbbbbbbbbbbbbbb"));
    const { log, lines } = logs();
    const controller = new AbortController();
    // Done once the message is gone from the queue, not merely once it is logged.
    const stopWatching = abortWhen(controller, () => {
      const queue = server.inspectQueue(name)!;
      return queue.messages.ready.length + queue.messages.inflight.length === 0;
    });
    await pollLifecycleQueue({
      sqs,
      queueUrl,
      instanceId: OURS,
      log,
      signal: controller.signal,
      waitTimeSeconds: 1,
      retryDelayMs: 10,
      now: () => Date.now() + 3 * 60 * 60 * 1000,
      handle: async () => ({ completed: true, stop: true }),
    }).finally(stopWatching);
    expect(lines.map((l) => l.msg)).toContain(
      "deleting another instance's lifecycle message past any hook timeout",
    );
    const queue = server.inspectQueue(name)!;
    expect(queue.messages.ready).toEqual([]);
    expect(queue.messages.inflight).toEqual([]);
  });

  it("ends a long poll at once when stopped", async () => {
    const { queueUrl } = newQueue();
    const controller = new AbortController();
    const { log } = logs();
    const started = Date.now();
    const poll = pollLifecycleQueue({
      sqs,
      queueUrl,
      instanceId: OURS,
      log,
      signal: controller.signal,
      waitTimeSeconds: 20,
      retryDelayMs: 10,
      handle: async () => ({ completed: true, stop: false }),
    });
    setTimeout(() => controller.abort(), 100);
    await poll;
    // Well inside the 20 s long poll: the abort ended it (a hang guard, not a budget).
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe("pollLifecycleQueue with SQS errors", () => {
  it("survives throttling and 5xx, backing off, then handles the message", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), {
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 400 },
    });
    const unavailable = Object.assign(new Error("Service unavailable"), {
      name: "ServiceUnavailable",
      $metadata: { httpStatusCode: 503 },
    });
    // Only this client is mocked: the fauxqs tests keep their real one.
    const mocked = new SQSClient({ region: "us-east-1" });
    const sqsMock = mockClient(mocked);
    sqsMock
      .on(ReceiveMessageCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(unavailable)
      .resolvesOnce({
        Messages: [{ MessageId: "m1", ReceiptHandle: "r1", Body: fixture("direct-terminating") }],
      })
      .resolves({});
    const { log, lines } = logs();
    const handled: string[] = [];
    await pollLifecycleQueue({
      sqs: mocked,
      queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/lifecycle",
      instanceId: OURS,
      log,
      signal: new AbortController().signal,
      waitTimeSeconds: 1,
      retryDelayMs: 10,
      handle: async (action) => {
        handled.push(action.token);
        return { completed: true, stop: true };
      },
    });
    expect(handled).toEqual(["c4d2a1e0-9f55-4f0e-8d4c-3c1b2a7e9f10"]);
    const retries = lines.filter(
      (l) => l.msg === "could not receive from the lifecycle queue; retrying",
    );
    expect(retries.map((l) => [l.errorName, l.delayMs])).toEqual([
      ["ThrottlingException", 10],
      ["ServiceUnavailable", 20],
    ]);
  });

  it("logs a refusal that needs an operator as an error, and keeps trying", async () => {
    const mocked = new SQSClient({ region: "us-east-1" });
    const denied = Object.assign(new Error("The specified queue does not exist."), {
      name: "QueueDoesNotExist",
      $metadata: { httpStatusCode: 400 },
    });
    mockClient(mocked)
      .on(ReceiveMessageCommand)
      .rejectsOnce(denied)
      .resolvesOnce({
        Messages: [{ MessageId: "m1", ReceiptHandle: "r1", Body: fixture("direct-terminating") }],
      });
    const { log, lines } = logs();
    await pollLifecycleQueue({
      sqs: mocked,
      queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/missing",
      instanceId: OURS,
      log,
      signal: new AbortController().signal,
      waitTimeSeconds: 1,
      retryDelayMs: 10,
      handle: async () => ({ completed: true, stop: true }),
    });
    expect(lines[0]).toMatchObject({
      level: "error",
      msg: "the lifecycle queue refused the request; check the queue URL and the instance role",
      errorName: "QueueDoesNotExist",
      status: 400,
    });
  });
});
