import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { isRetryableStatus } from "@restyled/core/backoff";
import type { Logger } from "@restyled/core/logger";
import type { IngestConfig } from "./config.js";
import { decodeSubscriptionEvent, type SubscriptionPayload } from "./decode.js";
import { DeliveryError } from "./errors.js";
import { forwardLines } from "./forward.js";
import type { KeySource } from "./key.js";
import { toLogdnaLines } from "./transform.js";

/** What a redrive did with the queue's messages. */
export interface RedriveResult {
  /** Messages received from the queue. */
  messages: number;
  /** Delivered (or, with --dry-run, deliverable) and deleted. */
  delivered: number;
  lines: number;
  /** Left on the queue: delivery failed, or LogDNA was unreachable and the run stopped. */
  undelivered: number;
  /** Left on the queue: not a failed forwarder event at all. */
  unreadable: number;
}

export interface RedriveOptions {
  sqs: SQSClient;
  queueUrl: string;
  env: string;
  config: IngestConfig;
  /** Not needed with dryRun. */
  keys?: KeySource;
  dryRun: boolean;
  logger: Logger;
  /** Time allowed for each message's delivery, retries included. */
  messageTimeoutMs?: number;
  /** How long received messages stay hidden from other readers while this run works. */
  visibilityTimeoutSeconds?: number;
  /** Passed to forwardLines (tests shorten retry waits with it). */
  send?: Parameters<typeof forwardLines>[1]["send"];
}

/**
 * Replays the forwarder's failed events from its on-failure queue through the
 * same delivery path as the Lambda, deleting each message only once all of its
 * lines were delivered. A message whose delivery fails stays on the queue; when
 * LogDNA is unreachable (no answer, 429 or 5xx after the retries) the run stops
 * there rather than wait out every message. With dryRun nothing is sent or
 * deleted. Every message this run held is made visible again at the end.
 */
export async function redriveFailedEvents(options: RedriveOptions): Promise<RedriveResult> {
  const result: RedriveResult = {
    messages: 0,
    delivered: 0,
    lines: 0,
    undelivered: 0,
    unreadable: 0,
  };
  // Kept hidden until the end, so one run never receives a message twice.
  const held: Message[] = [];
  try {
    for (;;) {
      const { Messages: messages = [] } = await options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: options.visibilityTimeoutSeconds ?? 300,
        }),
      );
      if (messages.length === 0) break;
      // All held from now on: stopping early must release the ones not yet tried.
      held.push(...messages);
      for (const message of messages) {
        result.messages += 1;
        const outcome = await redriveMessage(message, options, result);
        if (outcome === "deleted") held.splice(held.indexOf(message), 1);
        if (outcome === "stop") return result;
      }
    }
    return result;
  } finally {
    await release(held, options);
  }
}

type Outcome = "deleted" | "kept" | "stop";

async function redriveMessage(
  message: Message,
  options: RedriveOptions,
  result: RedriveResult,
): Promise<Outcome> {
  const where = { messageId: message.MessageId };
  let failed: FailedEvent;
  try {
    failed = readFailedEvent(message.Body ?? "");
  } catch (error) {
    result.unreadable += 1;
    options.logger.warn("left a message that is not a failed forwarder event on the queue", {
      ...where,
      error: (error as Error).message,
    });
    return "kept";
  }
  const lines =
    failed.payload.messageType === "DATA_MESSAGE"
      ? toLogdnaLines(failed.payload, { env: options.env })
      : [];
  const about = {
    ...where,
    logGroup: failed.payload.logGroup,
    logStream: failed.payload.logStream,
    lines: lines.length,
    ...(failed.reason ? { failedBecause: failed.reason } : {}),
  };
  if (options.dryRun) {
    result.delivered += 1;
    result.lines += lines.length;
    options.logger.info("would redeliver", about);
    return "kept";
  }
  try {
    await forwardLines(lines, {
      config: options.config,
      keys: options.keys!,
      deadline: Date.now() + (options.messageTimeoutMs ?? 120_000),
      logger: options.logger,
      send: options.send,
    });
  } catch (error) {
    result.undelivered += 1;
    const unreachable = !(error instanceof DeliveryError) || isUnavailable(error);
    options.logger.error(
      unreachable
        ? "LogDNA is unreachable: stopping, the rest stays on the queue"
        : "LogDNA refused an event: left on the queue",
      { ...about, error: (error as Error).message },
    );
    return unreachable ? "stop" : "kept";
  }
  // Only now: a message deleted before its lines were taken would be lost.
  await options.sqs.send(
    new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }),
  );
  result.delivered += 1;
  result.lines += lines.length;
  options.logger.info("redelivered", about);
  return "deleted";
}

function isUnavailable(error: DeliveryError): boolean {
  return error.status === undefined || isRetryableStatus(error.status);
}

/** Makes the messages this run held visible again, for the next run or a person to look at. */
async function release(held: Message[], options: RedriveOptions): Promise<void> {
  for (let start = 0; start < held.length; start += 10) {
    const entries = held.slice(start, start + 10).map((message, index) => ({
      Id: String(index),
      ReceiptHandle: message.ReceiptHandle,
      VisibilityTimeout: 0,
    }));
    try {
      await options.sqs.send(
        new ChangeMessageVisibilityBatchCommand({ QueueUrl: options.queueUrl, Entries: entries }),
      );
    } catch (error) {
      // Not fatal: they come back by themselves when the visibility timeout ends.
      options.logger.warn("could not make held messages visible again", {
        error: (error as Error).message,
      });
    }
  }
}

/** A failed event as the queue holds it, and why it failed when the record says. */
export interface FailedEvent {
  payload: SubscriptionPayload;
  reason?: string;
}

/**
 * Reads a message of the forwarder's failure queue: Lambda's on-failure
 * invocation record (`requestPayload` holds the event, `requestContext` and
 * `responsePayload` say why it failed), or, as a function dead-letter queue
 * holds it, the bare event.
 */
export function readFailedEvent(body: string): FailedEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error("the message body is not JSON");
  }
  const record = parsed as {
    requestPayload?: unknown;
    requestContext?: { condition?: unknown };
    responsePayload?: { errorType?: unknown; errorMessage?: unknown };
  } | null;
  if (record && typeof record === "object" && "requestPayload" in record) {
    const reason = [
      record.requestContext?.condition,
      record.responsePayload?.errorType,
      record.responsePayload?.errorMessage,
    ]
      .filter((part) => typeof part === "string" && part !== "")
      .join(": ");
    return {
      payload: decodeSubscriptionEvent(record.requestPayload),
      ...(reason ? { reason } : {}),
    };
  }
  return { payload: decodeSubscriptionEvent(parsed) };
}
