import type { QueueSpec } from "@restyled/core/contract";
import { errorMessage } from "@restyled/core/errors";
import type { Logger } from "@restyled/core/logger";
import { withRedis } from "@restyled/core/redis";
import { DependencyError } from "./errors.js";

export interface QueueDepth {
  name: string;
  depth: number;
}

export interface ReadQueueDepthsOptions {
  redisUrl: string;
  queues: QueueSpec[];
  /** Skip certificate verification for `rediss://` (Heroku's are self-signed). Logged. */
  insecureTls?: boolean;
  /**
   * The whole read, connection and commands included: a server that accepts
   * the connection but never answers must fail the run, not hang it.
   */
  timeoutMs?: number;
  logger: Logger;
}

/**
 * Reads the length of every queue with one `LLEN` each, in one connection
 * (the shared core's: TLS verified by default, no retries, one deadline for
 * all): an unreachable Redis must fail this run, not hang it.
 */
export async function readQueueDepths(options: ReadQueueDepthsOptions): Promise<QueueDepth[]> {
  try {
    const lengths = await withRedis(
      options.redisUrl,
      {
        insecureSkipVerify: options.insecureTls,
        logger: options.logger,
        timeoutMs: options.timeoutMs ?? 10_000,
      },
      (client) => Promise.all(options.queues.map((queue) => client.lLen(queue.name))),
    );
    return options.queues.map((queue, index) => ({
      name: queue.name,
      depth: Number(lengths[index]),
    }));
  } catch (error) {
    // The core's messages already name the redacted URL and never carry the password.
    throw new DependencyError(`could not read queue depth: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
