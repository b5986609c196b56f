// Backfill reads CloudWatch Logs (aws-sdk-client-mock, the AWS stand-in) and
// sends to the LogDNA ingest stand-in over real loopback HTTP.
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { silentLogger } from "@restyled/core/logger";
import { type LogdnaIngestStandIn, startLogdnaIngest } from "@restyled/testkit/logdna-ingest";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backfillLogGroup } from "../src/backfill.js";
import { main } from "../src/cli.js";
import { readIngestConfig } from "../src/config.js";
import { DeliveryError } from "../src/errors.js";
import { createKeySource } from "../src/key.js";
import { LAMBDA_FILTER_PATTERN } from "../src/subscribe.js";

const KEY = "backfill-key-9876543210";
const logs = mockClient(CloudWatchLogsClient);
let logdna: LogdnaIngestStandIn;

beforeEach(async () => {
  logdna = await startLogdnaIngest({ key: KEY });
});
afterEach(async () => {
  logs.reset();
  await logdna.close();
});

const event = (stream: string, timestamp: number, message: string) => ({
  logStreamName: stream,
  timestamp,
  message,
  eventId: `${stream}-${timestamp}`,
  ingestionTime: timestamp + 5,
});

function run(logGroup: string, options: { dryRun?: boolean; key?: string } = {}) {
  return backfillLogGroup({
    logGroup,
    startTime: 1_000,
    endTime: 9_000,
    env: "prod",
    config: readIngestConfig(
      { LOGDNA_INGEST_URL: logdna.ingestUrl, LOGDNA_ALLOW_HTTP: "1" },
      "prod",
    ),
    keys: createKeySource({ env: "prod", key: options.key ?? KEY }),
    dryRun: options.dryRun ?? false,
    logs: new CloudWatchLogsClient({ region: "us-east-1" }),
    logger: silentLogger(),
    batchTimeoutMs: 5_000,
  });
}

describe("backfillLogGroup", () => {
  it("pages through FilterLogEvents and forwards every event with its own stream", async () => {
    logs
      .on(FilterLogEventsCommand, { nextToken: undefined })
      .resolves({
        events: [event("a", 1_001, "INFO one"), event("b", 1_002, "ERROR two")],
        nextToken: "t1",
      })
      .on(FilterLogEventsCommand, { nextToken: "t1" })
      .resolves({ events: [], nextToken: "t2" })
      .on(FilterLogEventsCommand, { nextToken: "t2" })
      .resolves({ events: [event("a", 1_003, '{"level":"warn","msg":"three"}')] });
    const result = await run("restyled/prod/webhooks");
    expect(result).toEqual({ events: 3, pages: 3, lines: 3, requests: 2 });
    expect(logdna.lines().map((line) => [line.file, line.level, line.app])).toEqual([
      ["a", "INFO", "webhooks"],
      ["b", "ERROR", "webhooks"],
      ["a", "WARN", "webhooks"],
    ]);
    const input = logs.commandCalls(FilterLogEventsCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      logGroupName: "restyled/prod/webhooks",
      startTime: 1_000,
      endTime: 9_000,
    });
    expect(input.filterPattern).toBeUndefined();
  });

  it("leaves out START/END/REPORT lines of a Lambda group, as the subscription does", async () => {
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    await run("/aws/lambda/restyled-prod-autoscale");
    expect(logs.commandCalls(FilterLogEventsCommand)[0]!.args[0].input.filterPattern).toBe(
      LAMBDA_FILTER_PATTERN,
    );
  });

  it("sends nothing on a dry run", async () => {
    logs.on(FilterLogEventsCommand).resolves({ events: [event("a", 1_001, "INFO one")] });
    expect(await run("restyled/prod/webhooks", { dryRun: true })).toEqual({
      events: 1,
      pages: 1,
      lines: 1,
      requests: 1,
    });
    expect(logdna.requests).toHaveLength(0);
  });

  it("stops at the first page LogDNA refuses, reading no further", async () => {
    logs
      .on(FilterLogEventsCommand, { nextToken: undefined })
      .resolves({ events: [event("a", 1_001, "INFO one")], nextToken: "t1" })
      .on(FilterLogEventsCommand, { nextToken: "t1" })
      .resolves({ events: [event("a", 1_002, "INFO two")] });
    await expect(run("restyled/prod/webhooks", { key: "not-the-key" })).rejects.toThrow(
      DeliveryError,
    );
    expect(logs.commandCalls(FilterLogEventsCommand)).toHaveLength(1);
    expect(logdna.batches).toHaveLength(0);
  });
});

/** The CLI backfilling the past hour of one group. */
const BACKFILL_LAST_HOUR = [
  ...["backfill", "--log-group", "restyled/prod/webhooks"],
  ...["--since", "1h", "--region", "us-east-1"],
];

describe("logdna-cloudwatch backfill", () => {
  it("forwards the past hour and says how much it sent", async () => {
    logs.on(FilterLogEventsCommand).resolves({
      events: [
        event("a", Date.now() - 60_000, "INFO one"),
        event("a", Date.now() - 30_000, "ERROR two"),
      ],
    });
    const out: string[] = [];
    const code = await main(BACKFILL_LAST_HOUR, {
      output: { out: (text) => out.push(text), err: (text) => out.push(`stderr: ${text}`) },
      logger: silentLogger(),
      env: {
        RESTYLED_ENV: "prod",
        LOGDNA_KEY: KEY,
        LOGDNA_INGEST_URL: logdna.ingestUrl,
        LOGDNA_ALLOW_HTTP: "true",
      },
    });
    expect(out).toEqual([
      "forwarded 2 lines from restyled/prod/webhooks in 1 requests (2 events, 1 pages)",
    ]);
    expect(code).toBe(0);
    expect(logdna.lines().map((line) => line.level)).toEqual(["INFO", "ERROR"]);
    const { startTime, endTime } = logs.commandCalls(FilterLogEventsCommand)[0]!.args[0].input;
    expect(endTime! - startTime!).toBe(3_600_000);
  });

  it("exits 1 with LogDNA's answer when the key is refused", async () => {
    logs
      .on(FilterLogEventsCommand)
      .resolves({ events: [event("a", Date.now() - 1_000, "INFO one")] });
    const err: string[] = [];
    const code = await main(BACKFILL_LAST_HOUR, {
      output: { out: () => {}, err: (text) => err.push(text) },
      logger: silentLogger(),
      env: {
        RESTYLED_ENV: "prod",
        LOGDNA_KEY: "wrong",
        LOGDNA_INGEST_URL: logdna.ingestUrl,
        LOGDNA_ALLOW_HTTP: "true",
      },
    });
    expect(code).toBe(1);
    expect(err.join("\n")).toMatch(/^logdna-cloudwatch: LogDNA answered 401/);
  });
});
