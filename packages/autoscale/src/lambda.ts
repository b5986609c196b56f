import { createLogger, type Logger, resolveLogLevel } from "@restyled/core/logger";
import { type AwsClients, createAwsClients } from "./clients.js";
import { readConfig } from "./config.js";
import { AutoscaleRunError } from "./errors.js";
import { type DecisionRecord, runOnce } from "./run-once.js";

export interface HandlerDependencies {
  env?: Record<string, string | undefined>;
  clients?: AwsClients;
  logger?: Logger;
  now?: () => number;
}

/**
 * Builds the scheduled Lambda's handler. It returns the decision record; a
 * failed run throws, so the invocation counts as failed (and alarms on Errors).
 */
export function createHandler(dependencies: HandlerDependencies = {}) {
  let clients = dependencies.clients;
  return async function handler(): Promise<DecisionRecord> {
    const env = dependencies.env ?? process.env;
    // AWS_LAMBDA_LOG_LEVEL inside Lambda, else LOG_LEVEL (the shared policy).
    const logger =
      dependencies.logger ??
      createLogger({ name: "restyled-autoscale", level: resolveLogLevel(env) });
    // Read per invocation: a changed variable takes effect without a cold start, and a bad one fails loudly.
    const config = readConfig(env);
    clients ??= createAwsClients({ logger });
    const record = await runOnce({ config, clients, logger, now: dependencies.now });
    if (record.error) {
      logger.error("autoscale run failed", { record });
      throw new AutoscaleRunError(record);
    }
    logger.info("autoscale decision", { record });
    return record;
  };
}

/** The Lambda entry point (`index.handler`). */
export const handler = createHandler();
