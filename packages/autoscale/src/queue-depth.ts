import type { QueueSpec } from "@restyled/core/contract";
import type { Logger } from "@restyled/core/logger";
import { redactSecrets, redactUrl } from "@restyled/core/logger";
import { createClient } from "redis";
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
  connectTimeoutMs?: number;
  /**
   * The whole read, connection and commands included: a server that accepts
   * the connection but never answers must fail the run, not hang it.
   */
  timeoutMs?: number;
  logger: Logger;
}

/**
 * Reads the length of every queue with one `LLEN` each, in one connection that
 * does not retry: an unreachable Redis must fail this run, not hang it.
 */
export async function readQueueDepths(options: ReadQueueDepthsOptions): Promise<QueueDepth[]> {
  const { redisUrl, logger } = options;
  const safeUrl = redactUrl(redisUrl);
  let protocol: string;
  try {
    protocol = new URL(redisUrl).protocol;
  } catch {
    throw new DependencyError(`the Redis URL is not a URL (${safeUrl})`);
  }
  if (protocol !== "redis:" && protocol !== "rediss:") {
    throw new DependencyError(
      `the Redis URL must start with redis:// or rediss://, not ${protocol}//`,
    );
  }
  const tls = protocol === "rediss:";
  if (tls && options.insecureTls) {
    logger.warn("not verifying the Redis server's TLS certificate", { redisUrl: safeUrl });
  }
  const connectTimeout = options.connectTimeoutMs ?? 5_000;
  const client = createClient({
    url: redisUrl,
    socket: tls
      ? {
          tls: true,
          connectTimeout,
          reconnectStrategy: false,
          rejectUnauthorized: !options.insecureTls,
        }
      : { connectTimeout, reconnectStrategy: false },
  });
  // Without a listener node-redis turns a connection error into an uncaught exception.
  client.on("error", (error: unknown) =>
    logger.debug("redis client error", { error: String(error) }),
  );
  const timeoutMs = options.timeoutMs ?? connectTimeout + 5_000;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from Redis within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  let timedOut = false;
  try {
    const read = (async () => {
      await client.connect();
      return Promise.all(options.queues.map((queue) => client.lLen(queue.name)));
    })();
    const lengths = await Promise.race([
      read,
      deadline.catch((error: unknown) => {
        timedOut = true;
        throw error;
      }),
    ]);
    return options.queues.map((queue, index) => ({
      name: queue.name,
      depth: Number(lengths[index]),
    }));
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error), [
      redisUrl,
      passwordOf(redisUrl),
    ]);
    throw new DependencyError(`could not read queue depth from Redis at ${safeUrl}: ${message}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    // close() waits for the commands in flight, which a silent server never answers.
    if (timedOut) client.destroy();
    else if (client.isOpen) await client.close().catch(() => undefined);
  }
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
