import { decodeUrlPart, parseServerUrl } from "@restyled/core/server-url";
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

const BAD_ENCODING = "has badly percent-encoded credentials or database name";

/**
 * Validates a `postgres://` or `postgresql://` URL as Heroku sets `DATABASE_URL`
 * (`postgres://USER:PASSWORD@HOST:5432/DATABASE`). Error messages name
 * `source` and never repeat the URL or its credentials.
 */
export function parsePostgresUrl(raw: string, source: string): PostgresTarget {
  const fail = (problem: string) => new InvalidPostgresUrlError(`${source} ${problem}`);
  const { url, host, port, username, password, redacted } = parseServerUrl(raw, {
    schemes: ["postgres", "postgresql"],
    defaultPort: 5432,
    fail,
    badEncoding: BAD_ENCODING,
  });
  if (username === undefined) throw fail("has no user name");
  const database = /^\/([^/]+)$/.exec(url.pathname)?.[1];
  if (database === undefined)
    throw fail("has no database name (postgres://user:password@host/DATABASE)");
  const sslmode = url.searchParams.get("sslmode") ?? "require";
  if (!(SSL_MODES as readonly string[]).includes(sslmode)) {
    throw fail(`has an unknown sslmode (expected one of ${SSL_MODES.join(", ")})`);
  }
  return {
    tls: sslmode !== "disable" && sslmode !== "allow",
    host,
    port,
    user: username,
    password,
    database: decodeUrlPart(database, () => fail(BAD_ENCODING)),
    redacted,
  };
}
