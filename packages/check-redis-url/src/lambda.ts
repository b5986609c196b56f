import { SSMClient } from "@aws-sdk/client-ssm";
import { type CheckResult, checkRedisUrl } from "./check.js";
import { resolveConfig } from "./config.js";
import { ConfigError, UsageError } from "./errors.js";
import { createLogger, type Logger, parseLogLevel } from "./logger.js";
import { ssmClientConfig } from "./ssm.js";

/** What the scheduled Lambda returns (and logs). */
export interface HandlerResult {
  /** 200 when the parameter is current, 400 for a configuration problem, 500 for a failure. */
  status: 200 | 400 | 500;
  result: CheckResult | "failed";
  /** The parameter's version after the run, when known. */
  version: number | null;
  url?: string;
  dryRun?: boolean;
  error?: string;
}

export interface LambdaContext {
  env: Record<string, string | undefined>;
  ssm?: SSMClient;
  writeLog?: (line: string) => void;
}

// Reused across invocations of a warm Lambda, like its connections.
let sharedSsm: SSMClient | undefined;

/** The Lambda entry point (`index.handler`); the scheduled event carries nothing it needs. */
export async function handler(): Promise<HandlerResult> {
  sharedSsm ??= new SSMClient(ssmClientConfig());
  return runCheck({ env: process.env, ssm: sharedSsm });
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
    const outcome = await checkRedisUrl(config, { ssm, logger });
    return { status: 200, ...outcome };
  } catch (error) {
    const status = error instanceof ConfigError || error instanceof UsageError ? 400 : 500;
    logger.error("check-redis-url failed; nothing was written", { error });
    const message = error instanceof Error ? error.message : String(error);
    return { status, result: "failed", version: null, error: logger.scrub(message) };
  }
}
