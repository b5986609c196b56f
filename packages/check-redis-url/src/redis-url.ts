import { redactUrl } from "@restyled/core/logger";
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
  if (raw.trim() === "") throw fail("is empty");
  if (/\s/.test(raw)) throw fail("contains whitespace");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fail("is not a valid URL");
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw fail(`must start with redis:// or rediss:// (got ${url.protocol.slice(0, 20)})`);
  }
  // "redis:host" parses with an empty host; the URL must name one.
  if (url.hostname === "") throw fail("has no host");
  if (url.hash !== "") throw fail("has a #fragment");
  let database: number | undefined;
  if (url.pathname !== "" && url.pathname !== "/") {
    const match = /^\/(\d{1,5})$/.exec(url.pathname);
    if (!match) throw fail("has a path that is not a database number");
    database = Number(match[1]);
  }
  return {
    tls: url.protocol === "rediss:",
    // WHATWG keeps brackets around IPv6 hosts; sockets want them bare.
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? 6379 : Number(url.port),
    username: url.username === "" ? undefined : decode(url.username, fail),
    password: url.password === "" ? undefined : decode(url.password, fail),
    database,
    redacted: redactUrl(raw),
  };
}

function decode(part: string, fail: (problem: string) => Error): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw fail("has badly percent-encoded credentials");
  }
}

/** Which parts of a Redis URL differ, for a log line that cannot show the URLs. */
export function describeChange(before: string, after: string): string[] {
  let a: URL;
  let b: URL;
  try {
    a = new URL(before);
    b = new URL(after);
  } catch {
    return ["unparseable"];
  }
  const parts: Array<[string, (url: URL) => string]> = [
    ["scheme", (url) => url.protocol],
    ["host", (url) => url.hostname],
    ["port", (url) => url.port],
    ["username", (url) => url.username],
    ["password", (url) => url.password],
    ["database", (url) => url.pathname],
    ["query", (url) => url.search],
  ];
  return parts.filter(([, get]) => get(a) !== get(b)).map(([name]) => name);
}
