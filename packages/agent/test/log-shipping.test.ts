// The agent's log shipping against a CloudWatch Logs stand-in (testkit) that
// takes the real SDK client's requests over loopback HTTP and refuses what
// the service refuses. CloudWatch Logs is the stand-in part; the SDK client,
// its protocol and retries are real.
import { randomBytes } from "node:crypto";
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  type OutputLogEvent,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  type CloudWatchLogsStandIn,
  type SilentEndpoint,
  settleWithin,
  startCloudWatchLogs,
  startSilentEndpoint,
} from "@restyled/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PUT_LOG_EVENTS } from "../src/log-shipping/log-buffer.js";
import { createLogShipper, type LogShipper } from "../src/log-shipping/log-shipper.js";

let logs: CloudWatchLogsStandIn;
let client: CloudWatchLogsClient;
let group: string;
let stream: string;
const shippers: LogShipper[] = [];

function clientFor(endpoint: string, requestTimeout = 5_000) {
  return new CloudWatchLogsClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    requestHandler: { connectionTimeout: 2_000, requestTimeout, throwOnRequestTimeout: true },
  });
}

beforeEach(async () => {
  logs = await startCloudWatchLogs();
  client = clientFor(logs.url);
  group = `restyled/test-${randomBytes(3).toString("hex")}/machines`;
  stream = `i-${randomBytes(8).toString("hex")}`;
  logs.createLogGroup(group);
});
afterEach(async () => {
  await Promise.all(shippers.splice(0).map((s) => s.close(Date.now())));
  client.destroy();
  await logs.close();
});

function shipper(options: Parameters<typeof createLogShipper>[0] = {}) {
  const reports: Array<{ msg: string; fields: Record<string, unknown> }> = [];
  const created = createLogShipper({
    intervalMs: 60_000, // tests ship with flush, not the timer
    report: (msg, fields) => reports.push({ msg, fields }),
    ...options,
  });
  shippers.push(created);
  return { shipper: created, reports };
}

/** The stream read back through the real SDK, page by page. */
async function readStream(name = stream): Promise<OutputLogEvent[]> {
  const events: OutputLogEvent[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await client.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: name,
        startFromHead: true,
        nextToken: token,
      }),
    );
    events.push(...(page.events ?? []));
    if (!page.events?.length) return events;
    token = page.nextForwardToken;
  }
}

const line = (msg: string, fields: Record<string, unknown> = {}) =>
  JSON.stringify({ time: new Date().toISOString(), level: "info", msg, ...fields });

describe("shipping the agent's log lines", () => {
  it("creates the instance's stream and ships the lines in order, the last ones on flush", async () => {
    const { shipper: s } = shipper();
    s.write(line("written before the destination was known"));
    s.start({ client, logGroupName: group, logStreamName: stream });
    for (let i = 0; i < 50; i++) s.write(line("draining", { i }));
    s.write(line("completing lifecycle action", { result: "CONTINUE" }));
    expect(await s.flush(Date.now() + 10_000)).toMatchObject({ left: 0 });
    const events = await readStream();
    expect(events.map((e) => JSON.parse(e.message!).msg)).toEqual([
      "written before the destination was known",
      ...Array(50).fill("draining"),
      "completing lifecycle action",
    ]);
    const times = events.map((e) => e.timestamp!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("keeps to PutLogEvents' limits: 10,000 events and 1 MiB a call", async () => {
    const { shipper: s } = shipper({ maxEvents: 50_000, maxBytes: 64 * 1024 * 1024 });
    s.start({ client, logGroupName: group, logStreamName: stream });
    for (let i = 0; i < 25_000; i++) s.write(`line ${i}`);
    for (let i = 0; i < 12; i++) s.write(`${"x".repeat(200_000)} ${i}`);
    expect(await s.flush(Date.now() + 30_000)).toMatchObject({ left: 0 });
    expect(logs.puts.length).toBeGreaterThanOrEqual(5);
    for (const put of logs.puts) expect(put.events).toBeLessThanOrEqual(PUT_LOG_EVENTS.maxEvents);
    const events = logs.events(group, stream)!;
    expect(events).toHaveLength(25_012);
    expect(events.at(-1)!.message).toMatch(/ 11$/);
  });

  it("cuts a line over the 256 KB event limit, saying so", async () => {
    const { shipper: s } = shipper();
    s.start({ client, logGroupName: group, logStreamName: stream });
    s.write("é".repeat(200_000));
    expect(await s.flush(Date.now() + 10_000)).toMatchObject({ left: 0 });
    const [event] = logs.events(group, stream)!;
    expect(Buffer.byteLength(event!.message) + 26).toBeLessThanOrEqual(262_144);
    expect(event!.message).toMatch(/ … \[truncated from 400000 bytes\]$/);
  });

  it("keeps lines while the group is missing, drops the oldest when full and says how many", async () => {
    const missing = `${group}-not-yet`;
    const { shipper: s, reports } = shipper({ maxEvents: 100 });
    s.start({ client, logGroupName: missing, logStreamName: stream });
    for (let i = 0; i < 250; i++) s.write(`line ${i}`);
    expect(await s.flush(Date.now() + 10_000)).toMatchObject({ shipped: 0, left: 100 });
    expect(reports).toEqual([
      expect.objectContaining({
        msg: "could not ship log lines to CloudWatch Logs; keeping them buffered",
        fields: expect.objectContaining({
          error: expect.stringMatching(/^ResourceNotFoundException/),
        }),
      }),
    ]);
    logs.createLogGroup(missing);
    expect(await s.flush(Date.now() + 10_000)).toMatchObject({ left: 0 });
    const events = logs.events(missing, stream)!;
    expect(JSON.parse(events[0]!.message)).toMatchObject({
      level: "warn",
      msg: "log buffer full: dropped the oldest lines",
      dropped: 150,
    });
    expect(events.slice(1).map((e) => e.message)).toEqual(
      Array.from({ length: 100 }, (_, i) => `line ${150 + i}`),
    );
    expect(reports.at(-1)).toMatchObject({ fields: { dropped: 150 } });
  });

  it("creates its stream again when it was deleted under it, losing no line", async () => {
    const { shipper: s } = shipper();
    s.start({ client, logGroupName: group, logStreamName: stream });
    s.write("first");
    await s.flush(Date.now() + 10_000);
    logs.deleteLogStream(group, stream);
    s.write("second");
    // The first round finds the stream gone and keeps the line; the next one ships it.
    expect(await s.flush(Date.now() + 10_000)).toMatchObject({ left: 1 });
    expect(await s.flush(Date.now() + 10_000)).toMatchObject({ left: 0 });
    expect(logs.events(group, stream)!.map((e) => e.message)).toEqual(["second"]);
  });

  describe("against an endpoint that never answers", () => {
    let silent: SilentEndpoint;
    beforeEach(async () => {
      silent = await startSilentEndpoint();
    });
    afterEach(async () => {
      await silent.close();
    });

    it("never blocks a write, and a flush gives up at its deadline keeping the lines", async () => {
      const hanging = clientFor(silent.url, 60_000);
      const { shipper: s } = shipper();
      s.start({ client: hanging, logGroupName: group, logStreamName: stream });
      const started = Date.now();
      for (let i = 0; i < 1_000; i++) s.write(`line ${i}`);
      // 1,000 writes with a call hanging: synchronous, so done before any timer could fire.
      const flushed = await settleWithin(s.flush(Date.now() + 500), 20_000);
      expect(flushed).toEqual({ shipped: 0, left: 1_000 });
      expect(Date.now() - started).toBeLessThan(20_000);
      hanging.destroy();
    });
  });
});

describe("the CloudWatch Logs stand-in refuses what the service refuses", () => {
  const put = (events: Array<{ timestamp: number; message: string }>, name = stream) =>
    client.send(
      new PutLogEventsCommand({ logGroupName: group, logStreamName: name, logEvents: events }),
    );

  it("a put to a stream that does not exist", async () => {
    await expect(put([{ timestamp: Date.now(), message: "x" }])).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });

  it("a stream created twice", async () => {
    const create = () =>
      client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    await create();
    await expect(create()).rejects.toMatchObject({ name: "ResourceAlreadyExistsException" });
  });

  it("unsorted, oversized and too many events, storing none of them", async () => {
    await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    const now = Date.now();
    await expect(
      put([
        { timestamp: now, message: "b" },
        { timestamp: now - 1, message: "a" },
      ]),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: expect.stringMatching(/chronological order/),
    });
    await expect(
      put([{ timestamp: now, message: "x".repeat(262_144 - 25) }]),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
    await expect(
      put(Array.from({ length: 10_001 }, () => ({ timestamp: now, message: "x" }))),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(
      put(Array.from({ length: 5 }, () => ({ timestamp: now, message: "x".repeat(210_000) }))),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: expect.stringMatching(/Upload too large/),
    });
    expect(logs.events(group, stream)).toEqual([]);
  });
});

describe("configuring log shipping", () => {
  it("is off unless a log group is given", async () => {
    const { readConfig } = await import("../src/config/config.js");
    expect(readConfig(["--env", "test"], {}).logGroup).toBeUndefined();
    const on = readConfig(["--env", "test"], { AGENT_LOG_GROUP: "restyled/test/machines" });
    expect(on).toMatchObject({ logGroup: "restyled/test/machines", logFlushTimeoutMs: 5_000 });
  });

  it("refuses a log group name CloudWatch Logs would refuse, naming the setting", async () => {
    const { readConfig } = await import("../src/config/config.js");
    expect(() => readConfig(["--env", "test", "--log-group", "machines logs"], {})).toThrow(
      /--log-group: "machines logs" is not a log group name/,
    );
    expect(() => readConfig(["--env", "test"], { AGENT_LOG_FLUSH_TIMEOUT: "soon" })).toThrow(
      /AGENT_LOG_FLUSH_TIMEOUT/,
    );
  });
});
