import { parseArgs } from "node:util";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { SQSClient } from "@aws-sdk/client-sqs";
import { backfillLogGroup } from "./backfill.js";
import { readIngestConfig, readRestyledEnv } from "./config.js";
import { parseDuration, parseTimeAgo } from "./duration.js";
import { ConfigError, UsageError } from "./errors.js";
import { AWS_REQUEST_HANDLER, createKeySource } from "./key.js";
import { createLogger, type Logger, parseLogLevel } from "./logger.js";
import {
  consoleOutput,
  type Output,
  printBackfillResult,
  printRedriveResult,
  printSubscribeOutcomes,
} from "./output.js";
import { redriveFailedEvents } from "./redrive.js";
import { DEFAULT_FILTER_NAME, subscribeLogGroups } from "./subscribe.js";

export const HELP = `logdna-cloudwatch: forward CloudWatch Logs to LogDNA (Mezmo)

Usage:
  logdna-cloudwatch subscribe --prefix PREFIX --function ARN [--filter-name NAME] [--dry-run] [--json]
  logdna-cloudwatch backfill --log-group GROUP --since WHEN [--until WHEN] [--env ENV] [--dry-run] [--json]
  logdna-cloudwatch redrive --queue-url URL [--timeout DURATION] [--env ENV] [--dry-run] [--json]

subscribe  puts a subscription filter to the forwarder function on every log group
           whose name starts with PREFIX (never on the forwarder's own group;
           Lambda groups get a filter dropping START/END/REPORT lines)
backfill   reads a log group's past events (FilterLogEvents) and forwards them
redrive    replays the events the forwarder failed to deliver, from its failure
           queue, deleting each message only once delivered

Options:
  --prefix PREFIX        log group name prefix, e.g. restyled/prod/
  --function ARN         the forwarder Lambda's ARN
  --filter-name NAME     subscription filter name (default ${DEFAULT_FILTER_NAME})
  --log-group GROUP      the log group to backfill
  --since WHEN           start: a duration ago (1h, 2d) or an ISO time
  --until WHEN           end (default now)
  --filter-pattern P     backfill only matching events (default: as subscribe would)
  --queue-url URL        the forwarder's failure queue (services stack output)
  --timeout DURATION     how long to keep trying each event (default 2m)
  --env ENV              environment for lines and the SSM key (default $RESTYLED_ENV)
  --region REGION        AWS region (default $AWS_REGION)
  --dry-run              show what would change or be sent; change and send nothing
  --json                 print the result as JSON
  -h, --help             show this help

Environment: LOGDNA_KEY (else SSM /restyled/{env}/logdna-key), LOGDNA_HOSTNAME,
LOGDNA_TAGS, LOGDNA_INGEST_URL, LOGDNA_MAX_REQUEST_BYTES, AWS_REGION, LOG_LEVEL.
Exit codes: 0 done, 1 failed, 64 bad usage, 78 bad configuration.`;

const OPTIONS = {
  prefix: { type: "string" },
  function: { type: "string" },
  "filter-name": { type: "string" },
  "log-group": { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  "filter-pattern": { type: "string" },
  "queue-url": { type: "string" },
  timeout: { type: "string" },
  env: { type: "string" },
  region: { type: "string" },
  "dry-run": { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export interface CliDeps {
  output?: Output;
  logger?: Logger;
  env?: Record<string, string | undefined>;
  /** The SQS client redrive uses (tests point one at a local SQS). */
  sqs?: SQSClient;
}

/**
 * Runs the command line and returns the exit code: the one place where
 * errors become exit codes and are printed.
 */
export async function main(argv: string[], deps: CliDeps = {}): Promise<number> {
  const output = deps.output ?? consoleOutput;
  const env = deps.env ?? process.env;
  const logger = deps.logger ?? createLogger({ level: parseLogLevel(env.LOG_LEVEL) });
  try {
    return await run(argv, { output, env, logger, sqs: deps.sqs });
  } catch (error) {
    const err = error as Error;
    output.err(`logdna-cloudwatch: ${err.message}`);
    if (parseLogLevel(env.LOG_LEVEL) === "debug" && err.stack) output.err(err.stack);
    if (error instanceof UsageError) {
      output.err("Run logdna-cloudwatch --help for usage.");
      return 64;
    }
    return error instanceof ConfigError ? 78 : 1;
  }
}

async function run(
  argv: string[],
  deps: Required<Pick<CliDeps, "output" | "env" | "logger">> & Pick<CliDeps, "sqs">,
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (values.help || command === "help") {
    deps.output.out(HELP);
    return 0;
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const logs = () =>
    new CloudWatchLogsClient({
      ...(values.region ? { region: values.region } : {}),
      requestHandler: AWS_REQUEST_HANDLER,
    });

  if (command === "subscribe") {
    const prefix = required(values.prefix, "--prefix");
    const functionArn = required(values.function, "--function");
    const outcomes = await subscribeLogGroups({
      prefix,
      functionArn,
      filterName: values["filter-name"],
      dryRun: values["dry-run"],
      logs: logs(),
      logger: deps.logger,
    });
    printSubscribeOutcomes(deps.output, outcomes, { json: values.json, prefix });
    return outcomes.some((outcome) => outcome.action === "failed") ? 1 : 0;
  }

  if (command === "backfill") {
    const logGroup = required(values["log-group"], "--log-group");
    const now = Date.now();
    const startTime = parseTimeAgo(required(values.since, "--since"), "--since", now);
    const endTime = values.until ? parseTimeAgo(values.until, "--until", now) : now;
    const restyledEnv = readRestyledEnv(
      values.env ?? deps.env.RESTYLED_ENV,
      "--env (or RESTYLED_ENV)",
    );
    const config = readIngestConfig(deps.env, restyledEnv);
    const dryRun = values["dry-run"];
    const result = await backfillLogGroup({
      logGroup,
      startTime,
      endTime,
      filterPattern: values["filter-pattern"],
      env: restyledEnv,
      config,
      keys: dryRun
        ? undefined
        : createKeySource({ env: restyledEnv, key: deps.env.LOGDNA_KEY?.trim() }),
      dryRun,
      logs: logs(),
      logger: deps.logger,
    });
    printBackfillResult(deps.output, result, { json: values.json, logGroup, dryRun });
    return 0;
  }

  if (command === "redrive") {
    const queueUrl = required(values["queue-url"], "--queue-url");
    const messageTimeoutMs = values.timeout ? parseDuration(values.timeout, "--timeout") : 120_000;
    const restyledEnv = readRestyledEnv(
      values.env ?? deps.env.RESTYLED_ENV,
      "--env (or RESTYLED_ENV)",
    );
    const config = readIngestConfig(deps.env, restyledEnv);
    const dryRun = values["dry-run"];
    const result = await redriveFailedEvents({
      sqs:
        deps.sqs ??
        new SQSClient({
          ...(values.region ? { region: values.region } : {}),
          requestHandler: AWS_REQUEST_HANDLER,
        }),
      queueUrl,
      env: restyledEnv,
      config,
      keys: dryRun
        ? undefined
        : createKeySource({ env: restyledEnv, key: deps.env.LOGDNA_KEY?.trim() }),
      dryRun,
      logger: deps.logger,
      messageTimeoutMs,
    });
    printRedriveResult(deps.output, result, { json: values.json, dryRun });
    return result.undelivered + result.unreadable > 0 ? 1 : 0;
  }

  throw new UsageError(command ? `unknown command ${JSON.stringify(command)}` : "no command given");
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === "") throw new UsageError(`${flag} is required`);
  return value.trim();
}
