import type { Machine } from "@restyled/core/restyled-api";
import type { AgentContext } from "../context.js";
import { checkDaemon } from "../docker/client.js";
import type { LifecycleResult } from "../lifecycle/actions.js";
import { errorMessage } from "../logger.js";
import { retry } from "../runtime/retry.js";
import { deleteMachine, registerMachine } from "./machine.js";

export interface LaunchOutcome {
  result: LifecycleResult;
  machine?: Machine;
  /** Why the launch was abandoned. */
  reason?: string;
}

/**
 * Brings the machine into service: checks the daemon through the mutual-TLS
 * endpoint the Webhooks service will use, then registers it. Never throws:
 * every failure becomes `ABANDON` with its reason.
 */
export async function launchMachine(
  ctx: AgentContext,
  signal: AbortSignal,
): Promise<LaunchOutcome> {
  const { config, log } = ctx;
  const abandon = (reason: string): LaunchOutcome => {
    log.error("abandoning the launch", { reason });
    return { result: "ABANDON", reason };
  };
  const unready = await checkDaemonReady(ctx, signal);
  if (unready) return abandon(unready);

  let machine: Machine;
  try {
    machine = await registerMachine(ctx, signal);
  } catch (error) {
    return abandon(`registration with restyled.io failed: ${errorMessage(error)}`);
  }
  if (!machine.enabled) {
    // restyled.io ran `docker info` against the host and it failed: jobs
    // would fail too. The instance is going away, so is its registration.
    await deleteMachine(ctx, machine).catch((error) =>
      log.warn("could not delete the disabled machine", { error: errorMessage(error) }),
    );
    return abandon(
      `restyled.io registered the machine disabled: it could not reach ${config.dockerHost} with the client certificates`,
    );
  }
  if (signal.aborted) {
    return { ...abandon("the agent was stopped during the launch"), machine };
  }
  log.info("machine in service", { machineId: machine.id });
  return { result: "CONTINUE", machine };
}

/**
 * Checks the daemon through the mutual-TLS endpoint the Webhooks service will
 * use, with bounded retries (it may still be starting). Resolves the reason
 * it is not ready, or undefined when it answered.
 */
export async function checkDaemonReady(
  ctx: AgentContext,
  signal: AbortSignal,
): Promise<string | undefined> {
  const { config, log } = ctx;
  const stopped = "the agent was stopped during the launch";
  try {
    await retry(() => checkDaemon(ctx.docker, config.dockerHost), {
      attempts: config.retryAttempts,
      delayMs: config.retryDelayMs,
      signal,
      onRetry: (error, attempt) =>
        log.warn("daemon not answering yet", { error: errorMessage(error), attempt }),
    });
  } catch (error) {
    return signal.aborted ? stopped : errorMessage(error);
  }
  return signal.aborted ? stopped : undefined;
}
