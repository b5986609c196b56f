import { readFileSync } from "node:fs";
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeSubscriptionFiltersCommand,
  FilterLogEventsCommand,
  PutSubscriptionFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { silentLogger } from "@restyled/core/logger";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "./cli.js";

const logs = mockClient(CloudWatchLogsClient);
afterEach(() => logs.reset());

const FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:restyled-prod-logdna";
/** The CLI subscribing every group under restyled/prod/. */
const SUBSCRIBE_PROD = [
  ...["subscribe", "--prefix", "restyled/prod/", "--function", FUNCTION],
  ...["--region", "us-east-1"],
];

async function cli(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    output: { out: (text) => out.push(text), err: (text) => err.push(text) },
    logger: silentLogger(),
    env,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("logdna-cloudwatch", () => {
  it("prints the package's version", async () => {
    const { code, out } = await cli(["--version"]);
    expect(code).toBe(0);
    const { version } = JSON.parse(
      readFileSync(new URL("../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    expect(out).toBe(version);
  });

  it("exits 78 naming LOG_LEVEL when it is not a level, touching nothing", async () => {
    const { code, err } = await cli(["subscribe", "--prefix", "p", "--function", FUNCTION], {
      LOG_LEVEL: "loud",
    });
    expect(code).toBe(78);
    expect(err).toMatch(/LOG_LEVEL/);
    expect(logs.calls()).toHaveLength(0);
  });

  it("prints help", async () => {
    const { code, out } = await cli(["--help"]);
    expect(code).toBe(0);
    expect(out).toMatch(/logdna-cloudwatch subscribe --prefix PREFIX --function ARN/);
    expect(out).toMatch(
      /Exit codes: 0 done, 1 failed, 64 bad usage, 69 AWS unavailable, 78 bad configuration/,
    );
    expect(out).toMatch(/--queue-url VALUE +redrive: the forwarder's failure queue/);
  });

  it.each([
    [[], /no command given/],
    [["launch"], /unknown command 'launch'/],
    [["subscribe", "--function", FUNCTION], /missing --prefix/],
    [["subscribe", "--prefix", "restyled/prod/"], /missing --function/],
    [
      ["subscribe", "--prefix", "restyled/prod/", "--function", FUNCTION, "--bogus"],
      /unknown option '--bogus'/,
    ],
    [
      ["subscribe", "--prefix", "restyled/prod/", "--function", "nope"],
      /--function must be a Lambda function ARN/,
    ],
    [["backfill", "--log-group", "g"], /missing --since/],
    [["backfill", "--log-group", "g", "--since", "an hour"], /--since must be a duration ago/],
    [
      [
        "backfill",
        "--log-group",
        "g",
        "--since",
        "1h",
        "--until",
        "2h",
        "--env",
        "prod",
        "--dry-run",
      ],
      /--since must be before --until/,
    ],
  ])("exits 64 for %j with one clear line and no AWS call", async (argv, message) => {
    const { code, err } = await cli(argv);
    expect(code).toBe(64);
    expect(err).toMatch(message);
    expect(err).toMatch(/^logdna-cloudwatch: /);
    expect(err.split("\n")).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at /);
    expect(logs.calls()).toHaveLength(0);
  });

  it("exits 78 when backfill has no environment", async () => {
    const { code, err } = await cli(["backfill", "--log-group", "g", "--since", "1h"]);
    expect(code).toBe(78);
    expect(err).toMatch(/missing --env \(or RESTYLED_ENV\)/);
  });

  it("exits 78 when backfill would send the key over plain http", async () => {
    const { code, err } = await cli(
      ["backfill", "--log-group", "g", "--since", "1h", "--env", "prod"],
      {
        LOGDNA_INGEST_URL: "http://127.0.0.1:9/logs/ingest",
      },
    );
    expect(code).toBe(78);
    expect(err).toMatch(/plain http/);
  });

  it("subscribes and prints one line per group", async () => {
    logs.on(DescribeLogGroupsCommand).resolves({
      logGroups: [
        { logGroupName: "restyled/prod/webhooks" },
        { logGroupName: "restyled/prod/health" },
      ],
    });
    logs.on(DescribeSubscriptionFiltersCommand).resolves({ subscriptionFilters: [] });
    logs.on(PutSubscriptionFilterCommand).resolves({});
    const { code, out } = await cli(SUBSCRIBE_PROD);
    expect(code).toBe(0);
    expect(out).toBe("subscribed: restyled/prod/webhooks\nsubscribed: restyled/prod/health");
  });

  it("exits 1 when a group could not be subscribed, after trying the others", async () => {
    logs.on(DescribeLogGroupsCommand).resolves({
      logGroups: [{ logGroupName: "restyled/prod/a" }, { logGroupName: "restyled/prod/b" }],
    });
    logs.on(DescribeSubscriptionFiltersCommand).resolves({ subscriptionFilters: [] });
    logs
      .on(PutSubscriptionFilterCommand, { logGroupName: "restyled/prod/a" })
      .rejects(new Error("LimitExceededException: Resource limit exceeded."))
      .on(PutSubscriptionFilterCommand, { logGroupName: "restyled/prod/b" })
      .resolves({});
    const { code, out } = await cli([...SUBSCRIBE_PROD, "--json"]);
    expect(code).toBe(1);
    expect(JSON.parse(out).logGroups.map((g: { action: string }) => g.action)).toEqual([
      "failed",
      "subscribed",
    ]);
  });

  it("backfills as a dry run without a key and without sending", async () => {
    logs.on(FilterLogEventsCommand).resolves({
      events: [
        { logStreamName: "s", timestamp: 1, message: "INFO one", eventId: "1" },
        { logStreamName: "s", timestamp: 2, message: "INFO two", eventId: "2" },
      ],
    });
    const { code, out } = await cli(
      [
        "backfill",
        "--log-group",
        "restyled/prod/webhooks",
        "--since",
        "1h",
        "--dry-run",
        "--region",
        "us-east-1",
      ],
      { RESTYLED_ENV: "prod" },
    );
    expect(code).toBe(0);
    expect(out).toBe(
      "would forward 2 lines from restyled/prod/webhooks in 1 requests (2 events, 1 pages)",
    );
  });
});
