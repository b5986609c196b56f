// The value parsers of option tables. Each throws a plain Error whose message
// completes "--flag: …" or "VARIABLE: …"; parseOptions adds the name.
import { isAbsolute } from "node:path";
import { parseEnvironmentName } from "./contract.js";
import { DURATION_HINT, parseDuration } from "./duration.js";
import { checkHttpsUrl } from "./url.js";

/** Turns the text of a flag or variable into a value. */
export interface Parser<T> {
  (text: string): T;
  /** The placeholder in `--help` (`DURATION`, `N`); empty for a switch. */
  readonly metavar: string;
  /** A switch takes no value on the command line: `--dry-run` means true. */
  readonly isSwitch?: boolean;
  /** A line for the help's footer, once per table (the duration grammar). */
  readonly hint?: string;
  /** The value is a secret: never echoed in a message (a Redis URL with its password). */
  readonly secret?: boolean;
}

/**
 * Makes a parser of a tool's own (an instance id, a queue list) in the shape
 * option tables take: `parse` throws a plain Error completing "--flag: …".
 */
export function parser<T>(
  metavar: string,
  parse: (text: string) => T,
  extra: Omit<Parser<T>, "metavar"> | object = {},
): Parser<T> {
  return Object.assign((text: string) => parse(text), { metavar, ...extra });
}

/** A duration in milliseconds (`@restyled/core/duration`'s grammar). */
export const duration: Parser<number> = parser("DURATION", parseDuration, {
  hint: `Durations: ${DURATION_HINT}.`,
});

/**
 * A duration within bounds written in the same grammar (`{ min: "1s", max: "1h" }`),
 * so "longer than 0" reads the same in every tool.
 */
export function boundedDuration(bounds: { min?: string; max?: string }): Parser<number> {
  const min = bounds.min === undefined ? undefined : parseDuration(bounds.min);
  const max = bounds.max === undefined ? undefined : parseDuration(bounds.max);
  const range =
    min !== undefined && max !== undefined
      ? `from ${bounds.min} to ${bounds.max}`
      : min !== undefined
        ? `of at least ${bounds.min}`
        : `of at most ${bounds.max}`;
  return parser(
    "DURATION",
    (text) => {
      const ms = parseDuration(text);
      if ((min !== undefined && ms < min) || (max !== undefined && ms > max)) {
        throw new Error(`${JSON.stringify(text.slice(0, 20))} is not a duration ${range}`);
      }
      return ms;
    },
    { hint: duration.hint },
  );
}

const TRUE = ["true", "1", "yes", "on"];
const FALSE = ["false", "0", "no", "off"];

/** The one boolean vocabulary: true/false, 1/0, yes/no, on/off, any case. A switch on the command line. */
export const boolean: Parser<boolean> = parser(
  "",
  (text) => {
    const word = text.trim().toLowerCase();
    if (TRUE.includes(word)) return true;
    if (FALSE.includes(word)) return false;
    throw new Error(
      `${JSON.stringify(text.slice(0, 20))} is not a boolean (use true/false, 1/0, yes/no or on/off)`,
    );
  },
  { isSwitch: true },
);

/** Any non-empty text. */
export const string: Parser<string> = parser("VALUE", (text) => {
  if (text.trim() === "") throw new Error("must not be empty");
  return text;
});

/** A file or folder path (not checked for existence: the command does that, with context). */
export const path: Parser<string> = parser("PATH", (text) => {
  if (text.trim() === "") throw new Error("must not be empty");
  if (text.includes("\0")) throw new Error("must not contain a NUL character");
  return text;
});

/** An absolute path. */
export const absolutePath: Parser<string> = parser("PATH", (text) => {
  if (!isAbsolute(text)) throw new Error(`${JSON.stringify(text)} must be an absolute path`);
  return path(text);
});

/** A whole number, optionally bounded. */
export function integer(bounds: { min?: number; max?: number } = {}): Parser<number> {
  const { min, max } = bounds;
  const range =
    min !== undefined && max !== undefined
      ? `from ${min} to ${max}`
      : min !== undefined
        ? `of at least ${min}`
        : max !== undefined
          ? `of at most ${max}`
          : "";
  return parser("N", (text) => {
    const trimmed = text.trim();
    const value = Number(trimmed);
    if (
      !/^-?\d+$/.test(trimmed) ||
      !Number.isSafeInteger(value) ||
      (min !== undefined && value < min) ||
      (max !== undefined && value > max)
    ) {
      throw new Error(`${JSON.stringify(text.slice(0, 20))} is not a whole number ${range}`.trim());
    }
    return value;
  });
}

/** One of a fixed list of words (case-sensitive). */
export function oneOf<const T extends string>(choices: readonly T[]): Parser<T> {
  return parser(choices.join("|"), (text) => {
    const word = text.trim();
    if ((choices as readonly string[]).includes(word)) return word as T;
    throw new Error(`${JSON.stringify(text.slice(0, 40))} is not one of ${choices.join(", ")}`);
  });
}

/** An environment name matching the stacks' `AllowedPattern` (`@restyled/core/contract`). */
export const environmentName: Parser<string> = parser("NAME", parseEnvironmentName);

/**
 * A URL that will carry a credential: https, plain http only to loopback.
 * Returned without a trailing slash.
 */
export const httpsUrl: Parser<string> = parser("URL", (text) =>
  checkHttpsUrl(text).toString().replace(/\/+$/, ""),
);

/**
 * A `redis://` or `rediss://` URL with a host. A secret (it carries the
 * password): messages never echo it.
 */
export const redisUrl: Parser<string> = parser(
  "URL",
  (text) => {
    let url: URL;
    try {
      url = new URL(text.trim());
    } catch {
      throw new Error("is not a URL (expected redis:// or rediss://)");
    }
    if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
      throw new Error(`must start with redis:// or rediss:// (got ${url.protocol.slice(0, 20)})`);
    }
    if (url.hostname === "") throw new Error("has no host");
    if (url.pathname !== "" && url.pathname !== "/" && !/^\/\d{1,5}$/.test(url.pathname)) {
      throw new Error("has a path that is not a database number");
    }
    return text.trim();
  },
  { secret: true },
);

/** A comma-separated list, each item parsed by `item`. */
export function list<T>(item: Parser<T>): Parser<T[]> {
  return parser(`${item.metavar || "VALUE"},…`, (text) =>
    text
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "")
      .map((part) => item(part)),
  );
}
