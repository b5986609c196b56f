import {
  type AutoScalingClient,
  CompleteLifecycleActionCommand,
  DescribeLifecycleHooksCommand,
  RecordLifecycleActionHeartbeatCommand,
} from "@aws-sdk/client-auto-scaling";
import { errorMessage, type LogFields, type Logger } from "../logger.js";
import type { LifecycleAction } from "./message.js";

export type LifecycleResult = "CONTINUE" | "ABANDON";

/**
 * How a completion ended: accepted; `expired` when Auto Scaling no longer
 * knows the action (it timed out, so the instance goes on without us: a
 * failure, but nobody can complete it any more); `failed` otherwise.
 */
export type CompletionOutcome = "completed" | "expired" | "failed";

/** The shortest HeartbeatTimeout Auto Scaling accepts, for when the hook cannot be read. */
export const MIN_HEARTBEAT_TIMEOUT_S = 30;

export interface CompleteOptions {
  autoscaling: AutoScalingClient;
  action: LifecycleAction;
  result: LifecycleResult;
  /** The call, with the SDK's own retries, is aborted after this long. */
  deadlineMs: number;
  log: Logger;
  /** Added to the completion record (e.g. the jobs a drain cut). */
  fields?: LogFields;
}

/**
 * Sends CompleteLifecycleAction. Throttling, 5xx and network errors are
 * retried by the client's own retry strategy; the abort signal is the
 * deadline. An action AWS no longer knows has expired: that is a failure
 * (the hook timed out while we worked), logged as an error.
 */
export async function completeLifecycleAction(
  options: CompleteOptions,
): Promise<CompletionOutcome> {
  const { action, log } = options;
  try {
    const answer = await options.autoscaling.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: action.groupName,
        LifecycleHookName: action.hookName,
        InstanceId: action.instanceId,
        LifecycleActionToken: action.token,
        LifecycleActionResult: options.result,
      }),
      { abortSignal: AbortSignal.timeout(options.deadlineMs) },
    );
    log.info("lifecycle action completed", {
      result: options.result,
      attempts: answer?.$metadata?.attempts,
      ...options.fields,
    });
    return "completed";
  } catch (error) {
    if (isNoActiveAction(error)) {
      log.error("the lifecycle action had expired: Auto Scaling no longer knows it", {
        result: options.result,
        error: errorMessage(error),
        ...options.fields,
      });
      return "expired";
    }
    log.error("could not complete the lifecycle action before its deadline", {
      result: options.result,
      error: errorMessage(error),
      attempts: (error as { $metadata?: { attempts?: number } }).$metadata?.attempts,
      ...options.fields,
    });
    return "failed";
  }
}

/** AWS's answer for a token it does not know (any more). */
export function isNoActiveAction(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e?.name === "ValidationError" && /no active lifecycle action/i.test(e.message ?? "");
}

export interface Heartbeats {
  stop(): void;
}

/**
 * Sends RecordLifecycleActionHeartbeat at once (the action may have waited
 * in the queue), then every `intervalMs` until stopped. `intervalMs` may be a
 * promise (the hook is being read): the first heartbeat does not wait for it.
 * Failures are logged; a heartbeat AWS refuses because the action is gone
 * calls `onExpired` and stops.
 */
export function startHeartbeats(options: {
  autoscaling: AutoScalingClient;
  action: LifecycleAction;
  intervalMs: number | Promise<number>;
  log: Logger;
  onExpired?: () => void;
}): Heartbeats {
  const { action, log } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let intervalMs = MIN_HEARTBEAT_TIMEOUT_S * 1000;
  const beat = () => {
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
          // A heartbeat late by more than an interval is worth nothing.
          { abortSignal: AbortSignal.timeout(intervalMs) },
        ),
      )
      .then(
        () => log.debug("lifecycle heartbeat sent"),
        (error) => {
          if (stopped) return;
          if (isNoActiveAction(error)) {
            stopped = true;
            clearTimeout(timer);
            log.error("the lifecycle action expired: Auto Scaling refused a heartbeat", {
              error: errorMessage(error),
            });
            options.onExpired?.();
            return;
          }
          log.warn("lifecycle heartbeat failed", { error: errorMessage(error) });
        },
      );
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      beat();
      schedule();
    }, intervalMs);
  };
  beat();
  void Promise.resolve(options.intervalMs).then((ms) => {
    intervalMs = ms;
    schedule();
  });
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
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
      // Within the shortest hook timeout, so a slow answer cannot starve heartbeats.
      { abortSignal: AbortSignal.timeout((MIN_HEARTBEAT_TIMEOUT_S * 1000) / 3) },
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
