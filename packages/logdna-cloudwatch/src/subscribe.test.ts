import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeSubscriptionFiltersCommand,
  InvalidParameterException,
  PutSubscriptionFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { silentLogger } from "@restyled/core/logger";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "./errors.js";
import { LAMBDA_FILTER_PATTERN, subscribeLogGroups } from "./subscribe.js";

const logs = mockClient(CloudWatchLogsClient);
afterEach(() => logs.reset());

const FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:restyled-prod-logdna";
const OTHER_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:something-else";

function withGroups(...pages: string[][]) {
  pages.forEach((names, index) => {
    const nextToken = index + 1 < pages.length ? `page-${index + 1}` : undefined;
    logs
      .on(
        DescribeLogGroupsCommand,
        index === 0 ? { nextToken: undefined } : { nextToken: `page-${index}` },
      )
      .resolves({ logGroups: names.map((logGroupName) => ({ logGroupName })), nextToken });
  });
}

const run = (options: { prefix?: string; functionArn?: string; dryRun?: boolean } = {}) =>
  subscribeLogGroups({
    prefix: options.prefix ?? "restyled/prod/",
    functionArn: options.functionArn ?? FUNCTION,
    dryRun: options.dryRun ?? false,
    logs: new CloudWatchLogsClient({ region: "us-east-1" }),
    logger: silentLogger(),
  });

const puts = () =>
  logs.commandCalls(PutSubscriptionFilterCommand).map((call) => call.args[0].input);

describe("subscribeLogGroups", () => {
  it("subscribes every matching group across pages", async () => {
    withGroups(["restyled/prod/webhooks"], ["restyled/prod/health"]);
    logs.on(DescribeSubscriptionFiltersCommand).resolves({ subscriptionFilters: [] });
    const outcomes = await run();
    expect(outcomes.map((o) => [o.logGroup, o.action])).toEqual([
      ["restyled/prod/webhooks", "subscribed"],
      ["restyled/prod/health", "subscribed"],
    ]);
    expect(puts()).toEqual([
      {
        logGroupName: "restyled/prod/webhooks",
        filterName: "restyled-logdna",
        filterPattern: "",
        destinationArn: FUNCTION,
      },
      {
        logGroupName: "restyled/prod/health",
        filterName: "restyled-logdna",
        filterPattern: "",
        destinationArn: FUNCTION,
      },
    ]);
    expect(logs.commandCalls(DescribeLogGroupsCommand)[0]!.args[0].input.logGroupNamePrefix).toBe(
      "restyled/prod/",
    );
  });

  it("never subscribes the forwarder's own group, and filters Lambda groups", async () => {
    withGroups(["/aws/lambda/restyled-prod-logdna", "/aws/lambda/restyled-prod-autoscale"]);
    logs.on(DescribeSubscriptionFiltersCommand).resolves({ subscriptionFilters: [] });
    const outcomes = await run({ prefix: "/aws/lambda/restyled-prod-" });
    expect(outcomes[0]).toMatchObject({
      action: "skipped",
      reason: "the forwarder's own log group",
    });
    expect(puts()).toEqual([
      {
        logGroupName: "/aws/lambda/restyled-prod-autoscale",
        filterName: "restyled-logdna",
        filterPattern: LAMBDA_FILTER_PATTERN,
        destinationArn: FUNCTION,
      },
    ]);
  });

  it("changes nothing on a re-run, and updates a filter that points elsewhere", async () => {
    withGroups(["restyled/prod/webhooks", "restyled/prod/health"]);
    logs
      .on(DescribeSubscriptionFiltersCommand, { logGroupName: "restyled/prod/webhooks" })
      .resolves({
        subscriptionFilters: [
          { filterName: "restyled-logdna", destinationArn: FUNCTION, filterPattern: "" },
        ],
      })
      .on(DescribeSubscriptionFiltersCommand, { logGroupName: "restyled/prod/health" })
      .resolves({
        subscriptionFilters: [
          { filterName: "restyled-logdna", destinationArn: OTHER_FUNCTION, filterPattern: "" },
        ],
      });
    const outcomes = await run();
    expect(outcomes.map((o) => o.action)).toEqual(["unchanged", "updated"]);
    expect(puts().map((input) => input.logGroupName)).toEqual(["restyled/prod/health"]);
  });

  it("does not add a second filter to the same function under another name", async () => {
    withGroups(["restyled/prod/webhooks"]);
    logs.on(DescribeSubscriptionFiltersCommand).resolves({
      subscriptionFilters: [
        { filterName: "LambdaStream_logdna", destinationArn: FUNCTION, filterPattern: "" },
      ],
    });
    const [outcome] = await run();
    expect(outcome).toMatchObject({
      action: "skipped",
      reason: "already sent to the function by filter LambdaStream_logdna",
    });
    expect(puts()).toEqual([]);
  });

  it("changes nothing with --dry-run", async () => {
    withGroups(["restyled/prod/webhooks", "restyled/prod/health"]);
    logs
      .on(DescribeSubscriptionFiltersCommand, { logGroupName: "restyled/prod/webhooks" })
      .resolves({ subscriptionFilters: [] })
      .on(DescribeSubscriptionFiltersCommand, { logGroupName: "restyled/prod/health" })
      .resolves({
        subscriptionFilters: [{ filterName: "restyled-logdna", destinationArn: OTHER_FUNCTION }],
      });
    const outcomes = await run({ dryRun: true });
    expect(outcomes.map((o) => o.action)).toEqual(["would subscribe", "would update"]);
    expect(puts()).toEqual([]);
  });

  it("goes on past a group that fails, explaining a missing invoke permission", async () => {
    withGroups(["restyled/prod/a", "restyled/prod/b"]);
    logs.on(DescribeSubscriptionFiltersCommand).resolves({ subscriptionFilters: [] });
    logs
      .on(PutSubscriptionFilterCommand, { logGroupName: "restyled/prod/a" })
      .rejects(
        new InvalidParameterException({
          message:
            "Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.",
          $metadata: {},
        }),
      )
      .on(PutSubscriptionFilterCommand, { logGroupName: "restyled/prod/b" })
      .resolves({});
    const outcomes = await run();
    expect(outcomes[0]).toMatchObject({ action: "failed" });
    expect(outcomes[0]!.reason).toMatch(/resource policy must allow logs.amazonaws.com/);
    expect(outcomes[1]).toMatchObject({ action: "subscribed" });
  });

  it.each([
    [{ functionArn: "restyled-prod-logdna" }, /--function must be a Lambda function ARN/],
    [
      { functionArn: "arn:aws:sqs:us-east-1:123456789012:queue" },
      /--function must be a Lambda function ARN/,
    ],
    [{ prefix: "restyled prod" }, /--prefix must be the start of a log group name/],
    [{ prefix: "" }, /--prefix must be the start of a log group name/],
  ])("refuses %j before calling AWS", async (options, message) => {
    await expect(run(options)).rejects.toThrow(UsageError);
    await expect(run(options)).rejects.toThrow(message);
    expect(logs.calls()).toHaveLength(0);
  });

  it("accepts a qualified function ARN, still skipping the function's own group", async () => {
    withGroups(["/aws/lambda/restyled-prod-logdna"]);
    const outcomes = await run({ prefix: "/aws/lambda/", functionArn: `${FUNCTION}:live` });
    expect(outcomes).toEqual([expect.objectContaining({ action: "skipped" })]);
  });
});
