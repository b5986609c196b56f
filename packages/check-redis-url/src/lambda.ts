import { ECSClient } from "@aws-sdk/client-ecs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { type CheckOutcome, checkCredentials } from "./check.js";
import { resolveConfig } from "./config.js";
import { ConfigError, exitCodeFor, SyncFailedError, UsageError } from "./errors.js";
import { createLogger, type Logger, parseLogLevel } from "./logger.js";
import { ssmClientConfig } from "./ssm.js";

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
  writeLog?: (line: string) => void;
  /** The ECS waiter's first delay between polls, in seconds (tests shorten it). */
  rollPollSeconds?: number;
}

// Reused across invocations of a warm Lambda, like its connections.
let sharedSsm: SSMClient | undefined;
let sharedEcs: ECSClient | undefined;

/** The Lambda entry point (`index.handler`); the scheduled event carries nothing it needs. */
export async function handler(): Promise<HandlerResult> {
  sharedSsm ??= new SSMClient(ssmClientConfig());
  sharedEcs ??= new ECSClient(ssmClientConfig());
  return runCheck({ env: process.env, ssm: sharedSsm, ecs: sharedEcs });
}

/**
 * One scheduled run. Failures are returned as `result: "failed"` and logged
 * at level error (alarm on that), never thrown: the schedule's retries would
 * only repeat them.
 */
export async function runCheck(context: LambdaContext): Promise<HandlerResult> {
  let logger: Logger = createLogger({ write: context.writeLog });
  try {
    logger = createLogger({ level: parseLogLevel(context.env.LOG_LEVEL), write: context.writeLog });
    const config = resolveConfig({}, context.env);
    const ssm = context.ssm ?? new SSMClient(ssmClientConfig({ region: config.region }));
    const ecs = config.cluster
      ? (context.ecs ?? new ECSClient(ssmClientConfig({ region: config.region })))
      : undefined;
    const outcome = await checkCredentials(config, {
      ssm,
      ecs,
      logger,
      rollPollSeconds: context.rollPollSeconds,
    });
    return { status: 200, ...outcome };
  } catch (error) {
    const configuration =
      error instanceof ConfigError || error instanceof UsageError || exitCodeFor(error) === 78;
    // The alarm's metric filter counts this line ({ $.level = "error" }).
    logger.error("check-redis-url failed", { error });
    const message = error instanceof Error ? error.message : String(error);
    const done = error instanceof SyncFailedError ? error.outcome : {};
    return { status: configuration ? 400 : 500, ...done, error: logger.scrub(message) };
  }
}
