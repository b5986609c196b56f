import type { Logger } from "@restyled/core/logger";
import type { ForwarderConfig } from "./config.js";
import { decodeSubscriptionEvent } from "./decode.js";
import { type ForwardOptions, type ForwardResult, forwardLines } from "./forward.js";
import type { KeySource } from "./key.js";
import { toLogdnaLines } from "./transform.js";

/** The part of Lambda's context object the forwarder uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
  awsRequestId?: string;
}

export interface HandlerDeps {
  config: ForwarderConfig;
  keys: KeySource;
  logger: Logger;
  send?: ForwardOptions["send"];
}

/**
 * Stops trying this long before Lambda's own timeout, so the failure is ours,
 * with a message, rather than a bare "Task timed out".
 */
export const DEADLINE_RESERVE_MS = 500;

/** Forwards one subscription event; throws if any of it could not be delivered. */
export async function handleSubscriptionEvent(
  event: unknown,
  context: InvocationContext,
  deps: HandlerDeps,
): Promise<ForwardResult & { skipped?: string }> {
  const deadline = Date.now() + context.getRemainingTimeInMillis() - DEADLINE_RESERVE_MS;
  const payload = decodeSubscriptionEvent(event);
  if (payload.messageType === "CONTROL_MESSAGE") {
    deps.logger.debug("skipped a CONTROL_MESSAGE", { logGroup: payload.logGroup });
    return { lines: 0, requests: 0, bytes: 0, skipped: "CONTROL_MESSAGE" };
  }
  const lines = toLogdnaLines(payload, { env: deps.config.env });
  const result = await forwardLines(lines, {
    config: deps.config,
    keys: deps.keys,
    deadline,
    logger: deps.logger,
    send: deps.send,
  });
  deps.logger.info("forwarded", {
    logGroup: payload.logGroup,
    logStream: payload.logStream,
    ...result,
  });
  return result;
}
