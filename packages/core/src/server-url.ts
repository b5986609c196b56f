// The URL of a server that carries its own credentials (`redis://:PASSWORD@host`,
// `postgres://USER:PASSWORD@host/db`), taken apart under one set of rules so a
// client gets host, port and credentials, and logs and errors only the
// redacted form.
import { redactUrl } from "./redact.js";

/** The parts every credential-carrying server URL has. */
export interface ServerUrl {
  /** The parsed URL, for a scheme's own rules (its path, its query). */
  url: URL;
  /** Without the brackets WHATWG keeps around an IPv6 address: sockets want it bare. */
  host: string;
  port: number;
  /** Percent-decoded; undefined when the URL has none. */
  username: string | undefined;
  /** Percent-decoded; undefined when the URL has none. */
  password: string | undefined;
  /** The URL as logs may show it: user name and password replaced. */
  redacted: string;
}

export interface ServerUrlRules {
  /** The schemes accepted, without `:` or `//` (`["redis", "rediss"]`). */
  schemes: readonly string[];
  /** The port when the URL names none. */
  defaultPort: number;
  /**
   * Makes the error for a problem (`"has no host"`), so a tool can name where
   * the URL came from and use its own error class. Never given the URL.
   */
  fail: (problem: string) => Error;
  /** The problem reported for a bad `%` escape (default: "has badly percent-encoded credentials"). */
  badEncoding?: string;
}

/**
 * Validates a server URL and takes it apart: not empty, no white space, one of
 * `rules.schemes`, a host, no `#fragment`, credentials percent-decoded. Errors
 * come from `rules.fail` and never repeat the URL or its credentials.
 */
export function parseServerUrl(raw: string, rules: ServerUrlRules): ServerUrl {
  const { fail } = rules;
  if (raw.trim() === "") throw fail("is empty");
  // A pasted value with a trailing newline or space is a copy mistake, not a URL to trim.
  if (/\s/.test(raw)) throw fail("contains whitespace");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fail("is not a valid URL");
  }
  const scheme = url.protocol.slice(0, -1);
  if (!rules.schemes.includes(scheme)) {
    const expected = rules.schemes.map((name) => `${name}://`).join(" or ");
    throw fail(`must start with ${expected} (got ${url.protocol.slice(0, 20)})`);
  }
  // "redis:host" parses with an empty host; the URL must name one.
  if (url.hostname === "") throw fail("has no host");
  if (url.hash !== "") throw fail("has a #fragment");
  const badEncoding = () => fail(rules.badEncoding ?? "has badly percent-encoded credentials");
  return {
    url,
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? rules.defaultPort : Number(url.port),
    username: url.username === "" ? undefined : decodeUrlPart(url.username, badEncoding),
    password: url.password === "" ? undefined : decodeUrlPart(url.password, badEncoding),
    redacted: redactUrl(raw),
  };
}

/** Percent-decodes one part of a URL; a bad escape throws `fail()`'s error, which never echoes it. */
export function decodeUrlPart(part: string, fail: () => Error): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw fail();
  }
}

/**
 * Which parts of two server URLs differ (`scheme`, `host`, `port`, `username`,
 * `password`, `database`, `query`), for a log line that must not show either.
 */
export function describeUrlChange(before: string, after: string): string[] {
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
