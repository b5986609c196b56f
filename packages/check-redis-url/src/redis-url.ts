import { parseServerUrl } from "@restyled/core/server-url";
import { InvalidRedisUrlError } from "./errors.js";

/** Where and how to connect, taken apart so the URL itself never reaches the client. */
export interface RedisTarget {
  tls: boolean;
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  database: number | undefined;
  /** The URL as logs may show it. */
  redacted: string;
}

/**
 * Validates a `redis://` or `rediss://` URL. Error messages name `source`
 * (where the URL came from) and never repeat the URL or its credentials.
 */
export function parseRedisUrl(raw: string, source: string): RedisTarget {
  const fail = (problem: string) => new InvalidRedisUrlError(`${source} ${problem}`);
  const { url, ...parts } = parseServerUrl(raw, {
    schemes: ["redis", "rediss"],
    defaultPort: 6379,
    fail,
  });
  let database: number | undefined;
  if (url.pathname !== "" && url.pathname !== "/") {
    const match = /^\/(\d{1,5})$/.exec(url.pathname);
    if (!match) throw fail("has a path that is not a database number");
    database = Number(match[1]);
  }
  return { tls: url.protocol === "rediss:", ...parts, database };
}
