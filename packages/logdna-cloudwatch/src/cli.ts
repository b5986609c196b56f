import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { SQSClient } from "@aws-sdk/client-sqs";
import { awsClientConfig, requireRegion } from "@restyled/core/aws";
import { lineStream, runMain } from "@restyled/core/cli";
import { ConfigError, UsageError } from "@restyled/core/errors";
import type { Logger } from "@restyled/core/logger";
import { parseOptions } from "@restyled/core/options";
import { backfillLogGroup } from "./backfill.js";
import { readIngestConfig } from "./config.js";
import { createKeySource } from "./key.js";
import { helpText, OPTIONS } from "./options.js";
import {
  consoleOutput,
  type Output,
  printBackfillResult,
  printRedriveResult,
  printSubscribeOutcomes,
} from "./output.js";
import { redriveFailedEvents } from "./redrive.js";
import { subscribeLogGroups } from "./subscribe.js";
import { parseTimeAgo } from "./time-ago.js";
import { VERSION } from "./version.js";

export interface CliDeps {
  output?: Output;
  /** Default: runMain's JSON logger on stderr. */
  logger?: Logger;
  env?: Record<string, string | undefined>;
  /** The SQS client redrive uses (tests point one at a local SQS). */
  sqs?: SQSClient;
}

/** Runs the command line and resolves to the exit code (`@restyled/core/cli` turns errors into codes). */
export function main(argv: string[], deps: CliDeps = {}): Promise<number> {
  const output = deps.output ?? consoleOutput;
  return runMain({
    name: "logdna-cloudwatch",
    version: VERSION,
    help: helpText,
    argv,
    env: deps.env ?? process.env,
    stdout: lineStream((line) => output.out(line)),
    stderr: lineStream((line) => output.err(line)),
    run: ({ env, logger }) =>
      run(argv, { output, env, logger: deps.logger ?? logger, sqs: deps.sqs }),
  });
}

interface RunDeps {
  output: Output;
  env: Record<string, string | undefined>;
  logger: Logger;
  sqs: SQSClient | undefined;
}

async function run(argv: string[], deps: RunDeps): Promise<number> {
  const values = parseOptions(OPTIONS, { argv, env: deps.env, allowPositionals: true });
  const [command, ...extra] = values.positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}' (see --help)`);
  const aws = awsClientConfig({ region: values.region, logger: deps.logger });
  const restyledEnv = () => {
    if (!values.env) throw new ConfigError("missing --env (or RESTYLED_ENV)");
    return values.env;
  };

  if (command === "subscribe") {
    const prefix = required(values.prefix, "--prefix");
    const functionArn = required(values.functionArn, "--function");
    const outcomes = await subscribeLogGroups({
      prefix,
      functionArn,
      filterName: values.filterName,
      dryRun: values.dryRun,
      logs: new CloudWatchLogsClient(aws),
      logger: deps.logger,
    });
    printSubscribeOutcomes(deps.output, outcomes, { json: values.json, prefix });
    return outcomes.some((outcome) => outcome.action === "failed") ? 1 : 0;
  }

  if (command === "backfill") {
    const logGroup = required(values.logGroup, "--log-group");
    const now = Date.now();
    const startTime = parseTimeAgo(required(values.since, "--since"), "--since", now);
    const endTime = values.until ? parseTimeAgo(values.until, "--until", now) : now;
    const env = restyledEnv();
    const config = readIngestConfig(deps.env, env);
    const result = await backfillLogGroup({
      logGroup,
      startTime,
      endTime,
      filterPattern: values.filterPattern,
      env,
      config,
      keys: values.dryRun ? undefined : createKeySource({ env, key: deps.env.LOGDNA_KEY?.trim() }),
      dryRun: values.dryRun,
      logs: new CloudWatchLogsClient(aws),
      logger: deps.logger,
    });
    printBackfillResult(deps.output, result, {
      json: values.json,
      logGroup,
      dryRun: values.dryRun,
    });
    return 0;
  }

  if (command === "redrive") {
    const queueUrl = required(values.queueUrl, "--queue-url");
    const env = restyledEnv();
    const config = readIngestConfig(deps.env, env);
    const sqs =
      deps.sqs ?? new SQSClient(awsClientConfig({ region: values.region, logger: deps.logger }));
    await requireRegion(sqs, { call: "sqs:ReceiveMessage" });
    const result = await redriveFailedEvents({
      // A receive waits up to 1 s; the request timeout must be longer.
      sqs,
      queueUrl,
      env,
      config,
      keys: values.dryRun ? undefined : createKeySource({ env, key: deps.env.LOGDNA_KEY?.trim() }),
      dryRun: values.dryRun,
      logger: deps.logger,
      messageTimeoutMs: values.timeout,
    });
    printRedriveResult(deps.output, result, { json: values.json, dryRun: values.dryRun });
    return result.undelivered + result.unreadable > 0 ? 1 : 0;
  }

  throw new UsageError(
    command ? `unknown command '${command}' (see --help)` : "no command given (see --help)",
  );
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === "")
    throw new UsageError(`missing ${flag} (see --help)`);
  return value.trim();
}
