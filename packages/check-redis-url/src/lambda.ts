import { ECSClient } from "@aws-sdk/client-ecs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { awsClientConfig } from "@restyled/core/aws";
import { errorMessage } from "@restyled/core/errors";
import { createLogger, type Logger, type LogStream, resolveLogLevel } from "@restyled/core/logger";
import { type CheckOutcome, checkCredentials } from "./check.js";
import { resolveConfig } from "./config.js";
import { isConfigurationError, SyncFailedError } from "./errors.js";

/** What the scheduled Lambda returns (and logs). */
export interface HandlerResult extends Partial<CheckOutcome> {
  /** 200 when every parameter is current, 400 for a configuration problem, 500 for a failure. */
  status: 200 | 400 | 500;
  error?: string;
}

export interface LambdaContext {
  env: Record<string, string | undefined>;
  ssm?: SSMClient;
  ecs?: ECSClient;
  /** Where log lines go (stderr by default). */
  stream?: LogStream;
  /** The ECS waiter's first delay between polls, in seconds (tests shorten it). */
  rollPollSeconds?: number;
}

const NAME = "check-redis-url";

// Reused across invocations of a warm Lambda, like its connections.
let sharedSsm: SSMClient | undefined;
let sharedEcs: ECSClient | undefined;

/** The Lambda entry point (`index.handler`); the scheduled event carries nothing it needs. */
export async function handler(): Promise<HandlerResult> {
  sharedSsm ??= new SSMClient(awsClientConfig());
  sharedEcs ??= new ECSClient(awsClientConfig());
  return runCheck({ env: process.env, ssm: sharedSsm, ecs: sharedEcs });
}

/**
 * One scheduled run. Failures are returned with status 400/500 and logged at
 * level error (the alarm's metric filter counts that line), never thrown: the
 * schedule's retries would only repeat them.
 */
export async function runCheck(context: LambdaContext): Promise<HandlerResult> {
  let logger: Logger = createLogger({ name: NAME, level: "info", stream: context.stream });
  try {
    logger = createLogger({
      name: NAME,
      level: resolveLogLevel(context.env),
      stream: context.stream,
    });
    const config = resolveConfig([], context.env);
    const settings = awsClientConfig({ region: config.region, logger });
    const ssm = context.ssm ?? new SSMClient(settings);
    const ecs = config.cluster ? (context.ecs ?? new ECSClient(settings)) : undefined;
    const outcome = await checkCredentials(config, {
      ssm,
      ecs,
      logger,
      rollPollSeconds: context.rollPollSeconds,
    });
    return { status: 200, ...outcome };
  } catch (error) {
    logger.error(`${NAME} failed`, { error });
    const done = error instanceof SyncFailedError ? error.outcome : {};
    return {
      status: isConfigurationError(error) ? 400 : 500,
      ...done,
      error: errorMessage(error),
    };
  }
}
