import { isIP } from "node:net";
import { createClient } from "redis";
import { RedisUnreachableError } from "./errors.js";
import type { RedisTarget } from "./redis-url.js";

export interface PingOptions {
  timeoutMs: number;
  /** Verify the server certificate of a TLS connection. */
  tlsVerify: boolean;
  /** Extra CA certificates (PEM) to trust for TLS. */
  ca?: string | undefined;
}

/**
 * Proves a Redis URL works: connects, authenticates and PINGs within
 * `timeoutMs`, without retrying. Throws `RedisUnreachableError` naming the
 * redacted URL and the reason.
 */
export async function pingRedis(target: RedisTarget, options: PingOptions): Promise<void> {
  const socket = target.tls
    ? {
        tls: true as const,
        host: target.host,
        port: target.port,
        // SNI carries host names only (RFC 6066), never IP addresses.
        ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
        rejectUnauthorized: options.tlsVerify,
        ...(options.ca ? { ca: options.ca } : {}),
      }
    : { host: target.host, port: target.port };
  const client = createClient({
    socket: { ...socket, connectTimeout: options.timeoutMs, reconnectStrategy: false },
    username: target.username,
    password: target.password,
    database: target.database,
    // AUTH and PING as restyled.io's own RESP2 client sends them, which also
    // works on Redis versions without HELLO; no cluster-maintenance handshake.
    RESP: 2,
    maintNotifications: "disabled",
    disableOfflineQueue: true,
  });
  // Without a listener the client's error events would crash the process;
  // the same errors reject connect() or ping(), which is where they are reported.
  client.on("error", () => undefined);

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer to PING within ${options.timeoutMs}ms`)),
      options.timeoutMs,
    );
  });
  try {
    const answer = await Promise.race([client.connect().then(() => client.ping()), deadline]);
    if (answer !== "PONG") throw new Error(`PING answered ${String(answer).slice(0, 50)}`);
  } catch (error) {
    throw new RedisUnreachableError(
      `${target.redacted} did not answer PING: ${explain(error, target)}`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    client.destroy();
  }
}

/** A short reason, with a hint for the failures people meet with Heroku Redis. */
function explain(error: unknown, target: RedisTarget): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(message)) {
    return `the server rejected the credentials (${message.split("\n")[0]?.slice(0, 120)})`;
  }
  if (
    target.tls &&
    /certificate|self[- ]signed|CERT_|unable to verify/i.test(`${code} ${message}`)
  ) {
    return `${message}; Heroku Redis uses self-signed certificates: trust its CA with --redis-ca-file, or skip verification with --insecure-skip-tls-verify (REDIS_TLS_INSECURE=true)`;
  }
  return message;
}
