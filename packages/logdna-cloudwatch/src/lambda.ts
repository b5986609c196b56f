/**
 * The Lambda entry point (`index.handler` in dist/lambda.zip). Configuration
 * and the key are read on the first invocation and kept while the instance is warm.
 */
import { createLogger, type Logger } from "@restyled/core/logger";
import { type ForwarderConfig, readForwarderConfig } from "./config.js";
import { type HandlerDeps, handleSubscriptionEvent, type InvocationContext } from "./handler.js";
import { createKeySource, type KeySource } from "./key.js";

let config: ForwarderConfig | undefined;
let keys: KeySource | undefined;
let logger: Logger | undefined;

export async function handler(event: unknown, context: InvocationContext) {
  // Made here, not at load: a bad LOG_LEVEL is then this invocation's error,
  // with a message, rather than a failed init.
  let log: Logger;
  try {
    logger ??= createLogger({ name: "logdna-cloudwatch" });
    log = logger;
  } catch (error) {
    log = createLogger({ name: "logdna-cloudwatch", level: "info" });
    log.error("forwarding failed", { error, requestId: context.awsRequestId });
    throw error;
  }
  try {
    config ??= readForwarderConfig();
    keys ??= createKeySource({ env: config.env, key: config.key });
    const deps: HandlerDeps = { config, keys, logger: log };
    return await handleSubscriptionEvent(event, context, deps);
  } catch (error) {
    log.error("forwarding failed", {
      error: (error as Error).message,
      name: (error as Error).name,
      requestId: context.awsRequestId,
    });
    throw error;
  }
}
