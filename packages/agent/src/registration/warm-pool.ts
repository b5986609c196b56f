import type { AgentContext } from "../context.js";
import type { LifecycleResult } from "../lifecycle/actions.js";
import { checkDaemonReady } from "./launch.js";

export interface WarmPoolOutcome {
  result: LifecycleResult;
  /** Why the preparation was abandoned. */
  reason?: string;
}

/**
 * Answers a launch into the warm pool: the instance is set up (the daemon
 * answers over mutual TLS, as the Webhooks service will reach it) but is not
 * registered at restyled.io. Auto Scaling stops it once the action is
 * completed, and its public host name and certificates change at its next
 * start, so a registration now would only point jobs at a stopped machine.
 * ABANDON when the daemon never answers, so Auto Scaling replaces the
 * instance instead of keeping a broken one warm. Never throws.
 */
export async function prepareForWarmPool(
  ctx: AgentContext,
  signal: AbortSignal,
): Promise<WarmPoolOutcome> {
  const unready = await checkDaemonReady(ctx, signal);
  if (unready) {
    ctx.log.error("abandoning the launch into the warm pool", { reason: unready });
    return { result: "ABANDON", reason: unready };
  }
  ctx.log.info(
    "prepared for the warm pool: the daemon answers over mutual TLS; not registered at restyled.io",
    { dockerHost: ctx.config.dockerHost },
  );
  return { result: "CONTINUE" };
}
