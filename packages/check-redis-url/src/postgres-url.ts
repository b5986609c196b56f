import { redactUrl } from "@restyled/core/logger";
import { InvalidPostgresUrlError } from "./errors.js";

/** libpq's `sslmode` values; anything else is refused rather than guessed at. */
const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Where and how to connect, taken apart so the URL itself never reaches the client. */
export interface PostgresTarget {
  /** False only when the URL says `sslmode=disable` or `allow`: Heroku Postgres requires TLS. */
  tls: boolean;
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  /** The URL as logs may show it. */
  redacted: string;
}

/**
 * Validates a `postgres://` or `postgresql://` URL as Heroku sets `DATABASE_URL`
 * (`postgres://USER:PASSWORD@HOST:5432/DATABASE`). Error messages name
 * `source` and never repeat the URL or its credentials.
 */
export function parsePostgresUrl(raw: string, source: string): PostgresTarget {
  const fail = (problem: string) => new InvalidPostgresUrlError(`${source} ${problem}`);
  if (raw.trim() === "") throw fail("is empty");
  if (/\s/.test(raw)) throw fail("contains whitespace");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fail("is not a valid URL");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw fail(`must start with postgres:// or postgresql:// (got ${url.protocol.slice(0, 20)})`);
  }
  if (url.hostname === "") throw fail("has no host");
  if (url.hash !== "") throw fail("has a #fragment");
  if (url.username === "") throw fail("has no user name");
  const database = /^\/([^/]+)$/.exec(url.pathname)?.[1];
  if (database === undefined)
    throw fail("has no database name (postgres://user:password@host/DATABASE)");
  const sslmode = url.searchParams.get("sslmode") ?? "require";
  if (!(SSL_MODES as readonly string[]).includes(sslmode)) {
    throw fail(`has an unknown sslmode (expected one of ${SSL_MODES.join(", ")})`);
  }
  return {
    tls: sslmode !== "disable" && sslmode !== "allow",
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? 5432 : Number(url.port),
    user: decode(url.username, fail),
    password: url.password === "" ? undefined : decode(url.password, fail),
    database: decode(database, fail),
    redacted: redactUrl(raw),
  };
}

function decode(part: string, fail: (problem: string) => Error): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw fail("has badly percent-encoded credentials or database name");
  }
}
