import {
  type CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeSubscriptionFiltersCommand,
  PutSubscriptionFilterCommand,
  type SubscriptionFilter,
} from "@aws-sdk/client-cloudwatch-logs";
import type { Logger } from "@restyled/core/logger";
import { UsageError } from "./errors.js";

/** Drops the lines Lambda writes around every invocation; they say nothing LogDNA needs. */
export const LAMBDA_FILTER_PATTERN = '-"START RequestId" -"END RequestId" -"REPORT RequestId"';
export const DEFAULT_FILTER_NAME = "restyled-logdna";

const FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]{1,64})(:[A-Za-z0-9$_-]+)?$/;
const LOG_GROUP_PREFIX = /^[A-Za-z0-9._\-/#]{1,512}$/;

/** The function's name, from its ARN (qualified or not); a malformed ARN is a usage error. */
export function parseFunctionArn(arn: string): { name: string } {
  const match = FUNCTION_ARN.exec(arn);
  if (!match) {
    throw new UsageError(
      `--function must be a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME), got ${JSON.stringify(arn)}`,
    );
  }
  return { name: match[1]! };
}

/** Whether a log group is a Lambda function's, whose START/END/REPORT lines are dropped. */
export function isLambdaLogGroup(logGroup: string): boolean {
  return logGroup.startsWith("/aws/lambda/");
}

/** The filter pattern a log group gets: Lambda groups drop START/END/REPORT lines. */
export function filterPatternFor(logGroup: string): string {
  return isLambdaLogGroup(logGroup) ? LAMBDA_FILTER_PATTERN : "";
}

export type SubscribeAction =
  | "subscribed"
  | "updated"
  | "unchanged"
  | "would subscribe"
  | "would update"
  | "skipped"
  | "failed";

export interface SubscribeOutcome {
  logGroup: string;
  action: SubscribeAction;
  filterPattern: string;
  reason?: string;
}

export interface SubscribeOptions {
  prefix: string;
  functionArn: string;
  filterName?: string;
  dryRun: boolean;
  logs: CloudWatchLogsClient;
  logger: Logger;
}

/**
 * Puts a subscription filter sending to the forwarder on every log group whose
 * name starts with `prefix`, except the forwarder's own (which would feed its
 * own logs back to itself forever). Re-running changes nothing already right.
 */
export async function subscribeLogGroups(options: SubscribeOptions): Promise<SubscribeOutcome[]> {
  if (!LOG_GROUP_PREFIX.test(options.prefix)) {
    throw new UsageError(
      `--prefix must be the start of a log group name (letters, digits and . _ - / #), got ${JSON.stringify(options.prefix)}`,
    );
  }
  const { name } = parseFunctionArn(options.functionArn);
  const ownGroup = `/aws/lambda/${name}`;
  const filterName = options.filterName ?? DEFAULT_FILTER_NAME;
  const outcomes: SubscribeOutcome[] = [];
  for (const logGroup of await listLogGroups(options.logs, options.prefix)) {
    const filterPattern = filterPatternFor(logGroup);
    if (logGroup === ownGroup) {
      outcomes.push({
        logGroup,
        action: "skipped",
        filterPattern,
        reason: "the forwarder's own log group",
      });
      continue;
    }
    try {
      outcomes.push(await subscribeOne({ ...options, logGroup, filterName, filterPattern }));
    } catch (error) {
      options.logger.error("could not subscribe", { logGroup, error: (error as Error).message });
      outcomes.push({ logGroup, action: "failed", filterPattern, reason: explain(error) });
    }
  }
  return outcomes;
}

async function subscribeOne(
  options: SubscribeOptions & { logGroup: string; filterName: string; filterPattern: string },
): Promise<SubscribeOutcome> {
  const { logGroup, filterName, filterPattern, functionArn } = options;
  const existing = await listSubscriptionFilters(options.logs, logGroup);
  const ours = existing.find((filter) => filter.filterName === filterName);
  const sameTarget = (filter: SubscriptionFilter) =>
    filter.destinationArn === functionArn && (filter.filterPattern ?? "") === filterPattern;
  if (ours && sameTarget(ours)) return { logGroup, action: "unchanged", filterPattern };
  const other = existing.find((filter) => filter !== ours && filter.destinationArn === functionArn);
  if (other) {
    // Two filters to the same function would deliver every line twice.
    return {
      logGroup,
      action: "skipped",
      filterPattern,
      reason: `already sent to the function by filter ${other.filterName}`,
    };
  }
  if (options.dryRun) {
    return { logGroup, action: ours ? "would update" : "would subscribe", filterPattern };
  }
  await options.logs.send(
    new PutSubscriptionFilterCommand({
      logGroupName: logGroup,
      filterName,
      filterPattern,
      destinationArn: functionArn,
    }),
  );
  options.logger.info(ours ? "updated subscription" : "subscribed", { logGroup, filterName });
  return { logGroup, action: ours ? "updated" : "subscribed", filterPattern };
}

async function listLogGroups(logs: CloudWatchLogsClient, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, nextToken }),
    );
    for (const group of page.logGroups ?? [])
      if (group.logGroupName) names.push(group.logGroupName);
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

async function listSubscriptionFilters(
  logs: CloudWatchLogsClient,
  logGroup: string,
): Promise<SubscriptionFilter[]> {
  const filters: SubscriptionFilter[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(
      new DescribeSubscriptionFiltersCommand({ logGroupName: logGroup, nextToken }),
    );
    filters.push(...(page.subscriptionFilters ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return filters;
}

function explain(error: unknown): string {
  const message = (error as Error).message;
  if (/Could not execute the lambda function/i.test(message)) {
    return `${message} (the function's resource policy must allow logs.amazonaws.com to invoke it)`;
  }
  return message;
}
