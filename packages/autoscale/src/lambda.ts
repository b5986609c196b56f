import { type AwsClients, createAwsClients } from "./clients.js";
import { readConfig } from "./config.js";
import { AutoscaleRunError } from "./errors.js";
import { createLogger, type Logger } from "./logger.js";
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
    const logger = dependencies.logger ?? createLogger();
    // Read per invocation: a changed variable takes effect without a cold start, and a bad one fails loudly.
    const config = readConfig(dependencies.env ?? process.env);
    clients ??= createAwsClients();
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
