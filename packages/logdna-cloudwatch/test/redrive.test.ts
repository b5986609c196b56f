// redrive against a real SQS endpoint over HTTP (fauxqs, in this process) and
// the LogDNA ingest stand-in from @restyled/testkit (both stand-ins: there is
// no AWS or LogDNA here). Messages are Lambda's on-failure invocation records,
// shaped as the fixture taken from the Lambda developer guide.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { silentLogger } from "@restyled/core/logger";
import { type LogdnaIngestStandIn, startLogdnaIngest } from "@restyled/testkit/logdna-ingest";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { readFailedEvent } from "../src/redrive.js";
import { encodeEvent, readPayload } from "./events.js";

const KEY = "redrive-key-0123456789";
let fauxqs: FauxqsServer;
let sqs: SQSClient;
let logdna: LogdnaIngestStandIn;
let queueUrl: string;

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  sqs = new SQSClient({
    endpoint: fauxqs.address,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
});
afterAll(async () => {
  sqs.destroy();
  await fauxqs.stop();
});
beforeEach(async () => {
  logdna = await startLogdnaIngest({ key: KEY });
  queueUrl = fauxqs.createQueue(`failed-${randomBytes(4).toString("hex")}`).queueUrl;
});
afterEach(async () => {
  await logdna.close();
});

/** An on-failure record for a payload whose lines all carry `marker` as their stream. */
function failureRecord(marker: string): string {
  const record = JSON.parse(
    readFileSync(new URL("./fixtures/on-failure-record.json", import.meta.url), "utf8"),
  );
  record.requestPayload = encodeEvent({
    ...readPayload("ecs-data-message.json"),
    logStream: marker,
  });
  return JSON.stringify(record);
}

async function enqueue(...bodies: string[]) {
  for (const body of bodies) {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  }
}

/** Every message on the queue now, read without keeping any hidden. */
async function remaining(): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
      }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => m.Body ?? ""));
  }
}

function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(["redrive", "--queue-url", queueUrl, ...args], {
    output: { out: (t) => out.push(t), err: (t) => err.push(t) },
    logger: silentLogger(),
    sqs,
    env: {
      RESTYLED_ENV: "prod",
      LOGDNA_KEY: KEY,
      LOGDNA_INGEST_URL: logdna.ingestUrl,
      LOGDNA_ALLOW_HTTP: "true",
      ...env,
    },
  });
  return code.then((exit) => ({ exit, out: out.join("\n"), err: err.join("\n") }));
}

const streams = () => new Set(logdna.lines().map((line) => line.file));

describe("logdna-cloudwatch redrive", () => {
  it("delivers every failed event through the ingest path and deletes it only then", async () => {
    await enqueue(failureRecord("stream-a"), failureRecord("stream-b"), failureRecord("stream-c"));
    const result = await run(["--json"]);
    expect(result.exit).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ messages: 3, delivered: 3, lines: 18 });
    expect(streams()).toEqual(new Set(["stream-a", "stream-b", "stream-c"]));
    expect(logdna.batches.every((batch) => batch.gzipped)).toBe(true);
    expect(await remaining()).toEqual([]);
  });

  it("leaves an event LogDNA refuses on the queue and goes on with the rest", async () => {
    await enqueue(failureRecord("stream-a"), failureRecord("stream-b"), failureRecord("stream-c"));
    logdna.injectFailure({ method: "POST", path: /^\/logs\/ingest/, status: 400, times: 1 });
    const result = await run([]);
    expect(result.exit).toBe(1);
    expect(result.out).toMatch(
      /redelivered 2 of 3 failed events .*1 left on the queue \(1 undelivered/,
    );
    const left = await remaining();
    expect(left).toHaveLength(1);
    const leftStream = readFailedEvent(left[0]!).payload.logStream;
    // The two delivered are exactly the two no longer on the queue.
    expect(streams()).toEqual(
      new Set(["stream-a", "stream-b", "stream-c"].filter((s) => s !== leftStream)),
    );
  });

  it("stops at the first event when LogDNA is unreachable, leaving every message", async () => {
    await enqueue(failureRecord("stream-a"), failureRecord("stream-b"));
    await logdna.close();
    const result = await run(["--timeout", "2s"], { LOGDNA_INGEST_URL: logdna.ingestUrl });
    expect(result.exit).toBe(1);
    expect(result.out).toMatch(/redelivered 0 of 1 failed events .*1 undelivered/);
    expect(await remaining()).toHaveLength(2);
    logdna = await startLogdnaIngest({ key: KEY }); // for afterEach
  });

  it("with --dry-run sends nothing, deletes nothing and leaves the messages visible", async () => {
    await enqueue(failureRecord("stream-a"), failureRecord("stream-b"));
    const result = await run(["--dry-run"], { LOGDNA_KEY: "" });
    expect(result.exit).toBe(0);
    expect(result.out).toBe("would redeliver 2 of 2 failed events (12 lines)");
    expect(logdna.requests).toHaveLength(0);
    expect(await remaining()).toHaveLength(2);
  });

  it("leaves a message that is not a failed event on the queue, and says so", async () => {
    await enqueue("not json at all", JSON.stringify({ hello: "world" }), failureRecord("stream-a"));
    const result = await run([]);
    expect(result.exit).toBe(1);
    expect(result.out).toMatch(
      /redelivered 1 of 3 .*2 left on the queue \(0 undelivered, 2 unreadable\)/,
    );
    expect((await remaining()).sort()).toEqual(
      ["not json at all", JSON.stringify({ hello: "world" })].sort(),
    );
  });

  it("refuses a bad --timeout before touching the queue", async () => {
    await enqueue(failureRecord("stream-a"));
    const result = await run(["--timeout", "soon"]);
    expect(result.exit).toBe(64);
    expect(result.err).toMatch(/--timeout: "soon" is not a duration/);
    expect(logdna.requests).toHaveLength(0);
    expect(await remaining()).toHaveLength(1);
  });

  it("needs --queue-url, and touches nothing without it", async () => {
    await enqueue(failureRecord("stream-a"));
    const out: string[] = [];
    const err: string[] = [];
    const exit = await main(["redrive"], {
      output: { out: (t) => out.push(t), err: (t) => err.push(t) },
      logger: silentLogger(),
      sqs,
      env: { RESTYLED_ENV: "prod", LOGDNA_KEY: KEY },
    });
    expect(exit).toBe(64);
    expect(err.join("\n")).toMatch(/missing --queue-url/);
    expect(await remaining()).toHaveLength(1);
  });
});

describe("readFailedEvent", () => {
  it("reads Lambda's on-failure record, and why it failed", () => {
    const failed = readFailedEvent(failureRecord("s"));
    expect(failed.payload.logGroup).toBe("restyled/prod/webhooks");
    expect(failed.reason).toBe(
      "RetriesExhausted: DeliveryError: could not reach LogDNA: connect ECONNREFUSED after 10 attempts; giving up",
    );
  });

  it("reads a bare event, as a function dead-letter queue would hold it", () => {
    const bare = JSON.stringify(encodeEvent(readPayload("ecs-data-message.json")));
    expect(readFailedEvent(bare).payload.logEvents).toHaveLength(6);
  });
});
