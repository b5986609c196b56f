import {
  type CloudWatchLogsClient,
  type FilteredLogEvent,
  FilterLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import type { Logger } from "@restyled/core/logger";
import { batchLines } from "./batch.js";
import type { IngestConfig } from "./config.js";
import { UsageError } from "./errors.js";
import { forwardLines } from "./forward.js";
import type { KeySource } from "./key.js";
import { filterPatternFor } from "./subscribe.js";
import { describeLogGroup, type LogdnaLine, toLogdnaLine } from "./transform.js";

export interface BackfillOptions {
  logGroup: string;
  startTime: number;
  endTime: number;
  /** Defaults to what `subscribe` would put on the group. */
  filterPattern?: string;
  env: string;
  config: IngestConfig;
  /** Not needed for a dry run. */
  keys?: KeySource;
  dryRun: boolean;
  logs: CloudWatchLogsClient;
  logger: Logger;
  /** How long one batch may keep retrying. */
  batchTimeoutMs?: number;
}

export interface BackfillResult {
  events: number;
  pages: number;
  lines: number;
  requests: number;
}

/**
 * Reads a log group's past events with FilterLogEvents, page by page, and
 * forwards each page as the subscription would have, so nothing is held in
 * memory beyond one page. A page that cannot be delivered stops the run.
 */
export async function backfillLogGroup(options: BackfillOptions): Promise<BackfillResult> {
  if (options.startTime >= options.endTime) {
    throw new UsageError("--since must be before --until");
  }
  if (!options.dryRun && !options.keys) throw new Error("backfill needs a key source to send");
  const filterPattern = options.filterPattern ?? filterPatternFor(options.logGroup);
  const result: BackfillResult = { events: 0, pages: 0, lines: 0, requests: 0 };
  let nextToken: string | undefined;
  do {
    const page = await options.logs.send(
      new FilterLogEventsCommand({
        logGroupName: options.logGroup,
        startTime: options.startTime,
        endTime: options.endTime,
        filterPattern: filterPattern || undefined,
        nextToken,
      }),
    );
    nextToken = page.nextToken;
    result.pages += 1;
    const events = page.events ?? [];
    result.events += events.length;
    const lines = toLines(options.logGroup, events, options.env);
    if (options.dryRun) {
      result.lines += lines.length;
      result.requests += batchLines(lines, options.config.maxRequestBytes).length;
      continue;
    }
    const sent = await forwardLines(lines, {
      config: options.config,
      keys: options.keys!,
      deadline: Date.now() + (options.batchTimeoutMs ?? 120_000),
      logger: options.logger,
    });
    result.lines += sent.lines;
    result.requests += sent.requests;
    options.logger.debug("backfilled a page", { logGroup: options.logGroup, ...sent });
  } while (nextToken);
  return result;
}

/** A page of FilterLogEvents results as LogDNA lines, each with its own stream as `file`. */
function toLines(logGroup: string, events: FilteredLogEvent[], env: string): LogdnaLine[] {
  const where = describeLogGroup(logGroup, env);
  const lines: LogdnaLine[] = [];
  for (const event of events) {
    if (typeof event.timestamp !== "number" || typeof event.message !== "string") continue;
    lines.push(
      toLogdnaLine(
        { id: event.eventId ?? "", timestamp: event.timestamp, message: event.message },
        { ...where, file: event.logStreamName ?? "" },
      ),
    );
  }
  return lines;
}
