import type { Logger } from "@restyled/core/logger";
import { withRedis } from "@restyled/core/redis";
import { RedisUnreachableError } from "./errors.js";
import type { RedisTarget } from "./redis-url.js";

export interface PingOptions {
  timeoutMs: number;
  /** Verify the server certificate of a TLS connection. */
  tlsVerify: boolean;
  /** A CA file (PEM) to trust for TLS, besides the system's. */
  caFile?: string | undefined;
  logger: Logger;
}

/**
 * Proves a Redis URL works: connects, authenticates and PINGs within
 * `timeoutMs`, once (the shared connection of @restyled/core). Throws
 * `RedisUnreachableError` naming the redacted URL and the reason.
 */
export async function pingRedis(
  url: string,
  target: RedisTarget,
  options: PingOptions,
): Promise<void> {
  let answer: string;
  try {
    answer = await withRedis(
      url,
      {
        timeoutMs: options.timeoutMs,
        insecureSkipVerify: !options.tlsVerify,
        ...(options.caFile ? { caFile: options.caFile } : {}),
        logger: options.logger,
      },
      (client) => client.ping(),
    );
  } catch (error) {
    throw new RedisUnreachableError(
      `${target.redacted} did not answer PING: ${explain(error, target)}`,
      { cause: error },
    );
  }
  if (answer !== "PONG") {
    throw new RedisUnreachableError(
      `${target.redacted} did not answer PING: it answered ${String(answer).slice(0, 50)}`,
    );
  }
}

/** A short reason, with a hint for the failures people meet with Heroku Redis. */
function explain(error: unknown, target: RedisTarget): string {
  // The shared connection's error names the server; the cause says what happened.
  const root = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const message = root instanceof Error ? root.message : String(root);
  const code = (root as { code?: unknown } | undefined)?.code;
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(message)) {
    return `the server rejected the credentials (${message.split("\n")[0]?.slice(0, 120)})`;
  }
  if (/cannot read the Redis CA file/.test(String((error as Error)?.message))) {
    return (error as Error).message;
  }
  if (
    target.tls &&
    /certificate|self[- ]signed|CERT_|unable to verify/i.test(`${code} ${message}`)
  ) {
    return `${message}; Heroku Redis uses self-signed certificates: trust its CA with --redis-ca-file, or skip verification with --insecure-skip-tls-verify (REDIS_TLS_INSECURE=true)`;
  }
  return message;
}
