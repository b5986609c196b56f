/**
 * The Lambda entry point (`index.handler` in dist/lambda.zip). Configuration
 * and the key are read on the first invocation and kept while the instance is warm.
 */
import { type ForwarderConfig, readForwarderConfig } from "./config.js";
import { type HandlerDeps, handleSubscriptionEvent, type InvocationContext } from "./handler.js";
import { createKeySource, type KeySource } from "./key.js";
import { logger } from "./logger.js";

let config: ForwarderConfig | undefined;
let keys: KeySource | undefined;

export async function handler(event: unknown, context: InvocationContext) {
  try {
    config ??= readForwarderConfig();
    keys ??= createKeySource({ env: config.env, key: config.key });
    const deps: HandlerDeps = { config, keys, logger };
    return await handleSubscriptionEvent(event, context, deps);
  } catch (error) {
    logger.error("forwarding failed", {
      error: (error as Error).message,
      name: (error as Error).name,
      requestId: context.awsRequestId,
    });
    throw error;
  }
}
