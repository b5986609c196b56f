import { isIP } from "node:net";
import pg from "pg";
import { PostgresUnreachableError } from "./errors.js";
import type { PostgresTarget } from "./postgres-url.js";

export interface PostgresCheckOptions {
  timeoutMs: number;
  /** Verify the server certificate of a TLS connection. */
  tlsVerify: boolean;
  /** Extra CA certificates (PEM) to trust for TLS. */
  ca?: string | undefined;
}

/**
 * Proves a PostgreSQL URL works: connects (TLS unless the URL disables it),
 * authenticates and runs `SELECT 1` within `timeoutMs`, once. Throws
 * `PostgresUnreachableError` naming the redacted URL and the reason.
 */
export async function checkPostgres(
  target: PostgresTarget,
  options: PostgresCheckOptions,
): Promise<void> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password ?? "",
    database: target.database,
    ssl: target.tls
      ? {
          rejectUnauthorized: options.tlsVerify,
          // SNI carries host names only (RFC 6066), never IP addresses.
          ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
          ...(options.ca ? { ca: options.ca } : {}),
        }
      : false,
    connectionTimeoutMillis: options.timeoutMs,
    query_timeout: options.timeoutMs,
    application_name: "restyled-check-redis-url",
  });
  // Errors after connect() are reported by the pending call; without a
  // listener a late socket error would crash the process.
  client.on("error", () => undefined);

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer to SELECT 1 within ${options.timeoutMs}ms`)),
      options.timeoutMs,
    );
  });
  try {
    const result = await Promise.race([
      client.connect().then(() => client.query<{ one: number }>("SELECT 1 AS one")),
      deadline,
    ]);
    if (result.rows[0]?.one !== 1) throw new Error("SELECT 1 did not answer 1");
  } catch (error) {
    throw new PostgresUnreachableError(
      `${target.redacted} did not answer SELECT 1: ${explain(error, target)}`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    // end() waits for the server's goodbye; a dead server must not hold the run.
    void client.end().catch(() => undefined);
  }
}

/** A short reason, with a hint for the failures people meet with Heroku Postgres. */
function explain(error: unknown, target: PostgresTarget): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  // 28P01 invalid_password, 28000 invalid_authorization_specification.
  if (code === "28P01" || code === "28000") {
    return `the server rejected the credentials (${message.split("\n")[0]?.slice(0, 120)})`;
  }
  if (code === "3D000") return `the database does not exist (${message.slice(0, 120)})`;
  if (
    target.tls &&
    /certificate|self[- ]signed|CERT_|unable to verify/i.test(`${code} ${message}`)
  ) {
    return `${message}; Heroku Postgres uses self-signed certificates: trust its CA with --postgres-ca-file, or skip verification with --postgres-insecure-skip-tls-verify (POSTGRES_TLS_INSECURE=true)`;
  }
  if (target.tls && /does not support SSL/i.test(message)) {
    return `${message}; add ?sslmode=disable to the URL only if the server really has no TLS`;
  }
  return message;
}
