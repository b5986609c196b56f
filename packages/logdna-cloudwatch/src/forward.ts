import type { Logger } from "@restyled/core/logger";
import { batchLines } from "./batch.js";
import type { IngestConfig } from "./config.js";
import { DeliveryError } from "./errors.js";
import { type SendOptions, sendBatch } from "./ingest.js";
import type { KeySource } from "./key.js";
import type { LogdnaLine } from "./transform.js";

/** What one forwarding run sent. */
export interface ForwardResult {
  lines: number;
  requests: number;
  /** Uncompressed JSON bytes sent. */
  bytes: number;
}

export interface ForwardOptions {
  config: IngestConfig;
  keys: KeySource;
  deadline: number;
  logger: Logger;
  /** Passed through to `sendBatch` (tests shorten waits with these). */
  send?: Pick<SendOptions, "backoff" | "sleep" | "maxAttempts" | "requestTimeoutMs">;
}

/**
 * Batches lines under the request size cap and sends the batches in order.
 * The first batch that cannot be delivered throws, so the caller (Lambda)
 * retries the event: delivery is at least once, never silently dropped.
 */
export async function forwardLines(
  lines: readonly LogdnaLine[],
  options: ForwardOptions,
): Promise<ForwardResult> {
  const result: ForwardResult = { lines: 0, requests: 0, bytes: 0 };
  if (lines.length === 0) return result;
  const key = await options.keys.get();
  for (const batch of batchLines(lines, options.config.maxRequestBytes)) {
    try {
      await sendBatch(batch, {
        ...options.send,
        ingestUrl: options.config.ingestUrl,
        hostname: options.config.hostname,
        tags: options.config.tags,
        key,
        deadline: options.deadline,
        logger: options.logger,
      });
    } catch (error) {
      // A refused key may have been rotated in SSM: read it afresh next time.
      if (error instanceof DeliveryError && (error.status === 401 || error.status === 403)) {
        options.keys.invalidate();
      }
      throw error;
    }
    result.lines += batch.lines;
    result.requests += 1;
    result.bytes += batch.bytes;
  }
  return result;
}
