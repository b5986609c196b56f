import {
  type AutoScalingClient,
  CompleteLifecycleActionCommand,
  DescribeLifecycleHooksCommand,
  RecordLifecycleActionHeartbeatCommand,
} from "@aws-sdk/client-auto-scaling";
import type { LifecycleAction } from "./lifecycle-message.js";
import { errorMessage, type Logger } from "./logger.js";
import { retry } from "./retry.js";

export type LifecycleResult = "CONTINUE" | "ABANDON";

/** The shortest HeartbeatTimeout Auto Scaling accepts, for when the hook cannot be read. */
const MIN_HEARTBEAT_TIMEOUT_S = 30;

export interface CompleteOptions {
  autoscaling: AutoScalingClient;
  action: LifecycleAction;
  result: LifecycleResult;
  /** Keep retrying until this long has passed. */
  deadlineMs: number;
  retryDelayMs: number;
  log: Logger;
}

/**
 * Sends CompleteLifecycleAction, retrying throttling, 5xx and network errors
 * with backoff until its own deadline. An action AWS no longer knows (already
 * completed, or timed out) counts as done. Returns whether it was accepted.
 */
export async function completeLifecycleAction(options: CompleteOptions): Promise<boolean> {
  const { action, log } = options;
  const deadline = Date.now() + options.deadlineMs;
  try {
    await retry(
      () =>
        options.autoscaling.send(
          new CompleteLifecycleActionCommand({
            AutoScalingGroupName: action.groupName,
            LifecycleHookName: action.hookName,
            InstanceId: action.instanceId,
            LifecycleActionToken: action.token,
            LifecycleActionResult: options.result,
          }),
          // One attempt (with the SDK's own retries) could otherwise run far
          // past the deadline, and past the forced stop's watchdog.
          { abortSignal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) },
        ),
      {
        attempts: Number.POSITIVE_INFINITY,
        delayMs: options.retryDelayMs,
        deadline,
        retryable: (error) => !isNoActiveAction(error),
        onRetry: (error, attempt, delayMs) =>
          log.warn("CompleteLifecycleAction failed; retrying", {
            error: errorMessage(error),
            attempt,
            delayMs,
          }),
      },
    );
    log.info("lifecycle action completed", { result: options.result });
    return true;
  } catch (error) {
    if (isNoActiveAction(error)) {
      log.warn("lifecycle action was no longer pending (already completed or timed out)", {
        result: options.result,
        error: errorMessage(error),
      });
      return true;
    }
    log.error("could not complete the lifecycle action before its deadline", {
      result: options.result,
      error: errorMessage(error),
    });
    return false;
  }
}

/** AWS's answer for a token it does not know (any more). */
function isNoActiveAction(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e?.name === "ValidationError" && /no active lifecycle action/i.test(e.message ?? "");
}

export interface Heartbeats {
  stop(): void;
}

/** Sends RecordLifecycleActionHeartbeat every `intervalMs` until stopped; failures are logged. */
export function startHeartbeats(options: {
  autoscaling: AutoScalingClient;
  action: LifecycleAction;
  intervalMs: number;
  log: Logger;
}): Heartbeats {
  const { action, log } = options;
  const timer = setInterval(() => {
    // Through a promise chain so that even a synchronous throw is only logged.
    Promise.resolve()
      .then(() =>
        options.autoscaling.send(
          new RecordLifecycleActionHeartbeatCommand({
            AutoScalingGroupName: action.groupName,
            LifecycleHookName: action.hookName,
            InstanceId: action.instanceId,
            LifecycleActionToken: action.token,
          }),
        ),
      )
      .then(
        () => log.debug("lifecycle heartbeat sent"),
        (error) => log.warn("lifecycle heartbeat failed", { error: errorMessage(error) }),
      );
  }, options.intervalMs);
  return { stop: () => clearInterval(timer) };
}

/**
 * A third of the hook's HeartbeatTimeout, so two heartbeats can fail before
 * the action times out. When the hook cannot be read, the shortest timeout
 * Auto Scaling allows is assumed: safe for any hook.
 */
export async function heartbeatIntervalFor(options: {
  autoscaling: AutoScalingClient;
  action: LifecycleAction;
  log: Logger;
}): Promise<number> {
  let timeoutS = MIN_HEARTBEAT_TIMEOUT_S;
  try {
    const answer = await options.autoscaling.send(
      new DescribeLifecycleHooksCommand({
        AutoScalingGroupName: options.action.groupName,
        LifecycleHookNames: [options.action.hookName],
      }),
    );
    const found = answer.LifecycleHooks?.[0]?.HeartbeatTimeout;
    if (found && found > 0) timeoutS = found;
    else options.log.warn("lifecycle hook has no HeartbeatTimeout; assuming the minimum");
  } catch (error) {
    options.log.warn("could not read the lifecycle hook; assuming the shortest timeout", {
      error: errorMessage(error),
    });
  }
  return Math.max(1_000, Math.floor((timeoutS * 1000) / 3));
}
