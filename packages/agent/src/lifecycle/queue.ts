import { setTimeout as sleep } from "node:timers/promises";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { errorMessage, type Logger } from "../logger.js";
import { type LifecycleAction, type ParsedMessage, parseLifecycleMessage } from "./message.js";

/** The longest pause between polls: a sixth of the shortest hook timeout Auto Scaling allows. */
export const RELEASE_PAUSE_MAX_MS = 5_000;

export interface HandledAction {
  /** The lifecycle action was completed: the message may be deleted. */
  completed: boolean;
  /** The action can never be completed (it expired): delete the message too. */
  discard?: boolean;
  /** Stop polling (the instance is terminating). */
  stop: boolean;
}

export interface PollOptions {
  sqs: SQSClient;
  queueUrl: string;
  instanceId: string;
  log: Logger;
  /** Aborting ends the poll, cutting a long poll short. */
  signal: AbortSignal;
  handle: (action: LifecycleAction) => Promise<HandledAction>;
  waitTimeSeconds?: number;
  retryDelayMs: number;
  /**
   * Pause after a batch that held only other instances' actions: 1 s by
   * default, doubling while that goes on, up to `releasePauseMaxMs` (5 s:
   * well inside the shortest hook timeout, 30 s, so our own notice that
   * arrives meanwhile is still picked up and heartbeated in time).
   */
  releasePauseMs?: number;
  releasePauseMaxMs?: number;
  /** The clock that decides when another instance's message is stale. */
  now?: () => number;
  /** While an action of ours is handled, its message is kept hidden this long, renewed at a third. */
  visibilityTimeoutSeconds?: number;
}

/**
 * Long-polls the lifecycle queue shared by every machine, hands this
 * instance's actions to `handle`, deletes AWS's test notifications, makes
 * other instances' messages visible again at once, and leaves unparseable ones
 * to the queue's redrive policy. Receive errors (throttling, 5xx, network) are
 * retried with backoff: the loop itself never throws.
 */
export async function pollLifecycleQueue(options: PollOptions): Promise<void> {
  const { sqs, queueUrl, log, signal } = options;
  let failures = 0;
  let releaseStreak = 0;
  while (!signal.aborted) {
    let messages: Message[];
    try {
      const answer = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: options.waitTimeSeconds ?? 20,
          MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
        }),
        { abortSignal: signal },
      );
      messages = answer.Messages ?? [];
      failures = 0;
    } catch (error) {
      if (signal.aborted) break;
      failures += 1;
      const delayMs = Math.min(options.retryDelayMs * 2 ** (failures - 1), 60_000);
      // Throttling and 5xx pass; anything else (a wrong queue URL, a missing
      // permission) needs an operator, so it is logged as an error.
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
        ?.httpStatusCode;
      const name = (error as Error).name;
      const passing = status === undefined || status >= 500 || /throttl|overlimit/i.test(name);
      log[passing ? "warn" : "error"](
        passing
          ? "could not receive from the lifecycle queue; retrying"
          : "the lifecycle queue refused the request; check the queue URL and the instance role",
        { error: errorMessage(error), errorName: name, status, failures, delayMs },
      );
      await sleep(delayMs, undefined, { signal }).catch(() => undefined);
      continue;
    }
    // Other instances' messages and test notifications first: an action of
    // ours can take a whole drain, and they must not wait behind it.
    const parsed = messages.map((message) => ({
      message,
      parsed: parseLifecycleMessage(message.Body),
    }));
    const ours = parsed.filter(
      (p) => p.parsed.kind === "action" && p.parsed.action.instanceId === options.instanceId,
    );
    for (const item of parsed)
      if (!ours.includes(item)) await handleOther(item.message, item.parsed, options);
    for (const [index, item] of ours.entries()) {
      if (item.parsed.kind !== "action") continue;
      const stop = await handleOwn(item.message, item.parsed.action, options);
      if (stop) {
        for (const rest of ours.slice(index + 1)) await changeVisibility(rest.message, 0, options);
        return;
      }
    }
    // A released message comes straight back to whoever polls next, this
    // agent included. Every receive counts towards the queue's redrive
    // limit, and a launching instance's agent may need minutes to start, so
    // the pause grows while this agent sees only other instances' messages.
    const releasedOnly = ours.length === 0 && parsed.some((p) => p.parsed.kind === "action");
    releaseStreak = releasedOnly ? releaseStreak + 1 : 0;
    if (releasedOnly) {
      const pauseMs = Math.min(
        (options.releasePauseMs ?? 1_000) * 2 ** (releaseStreak - 1),
        options.releasePauseMaxMs ?? RELEASE_PAUSE_MAX_MS,
      );
      log.debug("pausing before the next poll: only other instances' messages", { pauseMs });
      await sleep(pauseMs, undefined, { signal }).catch(() => undefined);
    }
  }
}

async function handleOther(
  message: Message,
  parsed: ParsedMessage,
  options: PollOptions,
): Promise<void> {
  const { log } = options;
  if (parsed.kind === "invalid") {
    // Left alone: it comes back after the visibility timeout and the queue's
    // redrive policy moves it to the dead-letter queue after a few receives.
    const fields = {
      reason: parsed.reason,
      excerpt: parsed.excerpt,
      messageId: message.MessageId,
      receiveCount: message.Attributes?.ApproximateReceiveCount,
      forInstance: parsed.instanceId,
    };
    if (parsed.instanceId === options.instanceId) {
      // Ours, yet unreadable: nobody completes it, so its hook times out to
      // its default result. An operator has to look.
      log.error(
        "ignoring a malformed lifecycle notification for this instance: its hook will time out",
        fields,
      );
    } else {
      log.warn("ignoring a message that is not a lifecycle notification", fields);
    }
  } else if (parsed.kind === "test") {
    log.info("deleting Auto Scaling's test notification", { group: parsed.groupName });
    await deleteMessage(message, options);
  } else if (isStale(message, options)) {
    // Past the longest heartbeat timeout a hook allows, nobody can complete
    // this action any more: it would only circle until the redrive limit.
    log.info("deleting another instance's lifecycle message past any hook timeout", {
      forInstance: parsed.action.instanceId,
      transition: parsed.action.transition,
      sentAt: new Date(Number(message.Attributes?.SentTimestamp)).toISOString(),
    });
    await deleteMessage(message, options);
  } else {
    log.debug("releasing another instance's lifecycle message", {
      forInstance: parsed.action.instanceId,
      transition: parsed.action.transition,
    });
    await changeVisibility(message, 0, options);
  }
}

// HeartbeatTimeout is at most 7,200 s; an hour more covers heartbeats sent late.
const STALE_AFTER_MS = (7_200 + 3_600) * 1_000;

function isStale(message: Message, options: PollOptions): boolean {
  const sentAt = Number(message.Attributes?.SentTimestamp);
  if (!Number.isFinite(sentAt) || sentAt <= 0) return false;
  return (options.now ?? Date.now)() - sentAt > STALE_AFTER_MS;
}

/** Handles one of our actions; true when polling should stop. */
async function handleOwn(
  message: Message,
  action: LifecycleAction,
  options: PollOptions,
): Promise<boolean> {
  const keepHidden = startVisibilityRenewal(message, options);
  let handled: HandledAction;
  try {
    handled = await options.handle(action);
  } catch (error) {
    // Not deleted: the message comes back and the action is tried again.
    options.log.error("handling a lifecycle action failed", { error: errorMessage(error) });
    handled = { completed: false, stop: false };
  } finally {
    keepHidden.stop();
  }
  if (handled.completed || handled.discard) await deleteMessage(message, options);
  return handled.stop;
}

function startVisibilityRenewal(message: Message, options: PollOptions): { stop(): void } {
  const seconds = options.visibilityTimeoutSeconds ?? 90;
  const timer = setInterval(
    () => void changeVisibility(message, seconds, options),
    (seconds * 1000) / 3,
  );
  return { stop: () => clearInterval(timer) };
}

async function deleteMessage(message: Message, options: PollOptions): Promise<void> {
  try {
    await options.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: options.queueUrl,
        ReceiptHandle: message.ReceiptHandle,
      }),
    );
  } catch (error) {
    // The message comes back; handling it again is harmless (completion is idempotent).
    options.log.warn("could not delete a lifecycle message", {
      error: errorMessage(error),
      messageId: message.MessageId,
    });
  }
}

async function changeVisibility(
  message: Message,
  seconds: number,
  options: PollOptions,
): Promise<void> {
  try {
    await options.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: options.queueUrl,
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  } catch (error) {
    options.log.warn("could not change a lifecycle message's visibility", {
      error: errorMessage(error),
      messageId: message.MessageId,
      seconds,
    });
  }
}
