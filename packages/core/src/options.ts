/**
 * One option table per tool: each row says the flag, the environment
 * variable, the default and the parser. Parsing, validation and `--help` are
 * all generated from it, so they cannot disagree.
 */
import { ConfigError, UsageError } from "./errors.js";
import type { Parser } from "./parsers.js";
import { REDACTED, redactText } from "./redact.js";

export { formatHelp, type HelpOptions } from "./help.js";
export {
  absolutePath,
  boolean,
  boundedDuration,
  duration,
  environmentName,
  httpsUrl,
  integer,
  list,
  oneOf,
  type Parser,
  parser,
  path,
  redisUrl,
  string,
} from "./parsers.js";

/** One row of a tool's option table. */
export interface OptionRow<K extends string = string, T = unknown> {
  /** The property of the parsed object. */
  key: K;
  /** The long flag without dashes (`drain-timeout`); omit for an environment-only setting. */
  flag?: string;
  /** A one-letter alias (`o` for `-o`). */
  short?: string;
  /** The environment variable read when the flag is not given. */
  env?: string;
  parse: Parser<T>;
  /** The placeholder in `--help` (`HOST`), instead of the parser's (`VALUE`). */
  metavar?: string;
  /** The default as text, parsed by `parse` (so `--help` shows what a user would type). */
  default?: string;
  description: string;
  /** Missing → a UsageError (flag only) or a ConfigError (with a variable). */
  required?: boolean;
  /** Never echo the value in a message (a token, a URL with a password). */
  secret?: boolean;
  /** The flag may repeat (and the variable holds a comma-separated list): an array. */
  multiple?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: a table mixes rows of every value type
export type AnyOptionRow = OptionRow<string, any>;

type ValueOf<R> = R extends { parse: Parser<infer T> }
  ? R extends { multiple: true }
    ? T[]
    : R extends { required: true }
      ? T
      : R extends { default: string }
        ? T
        : T | undefined
  : never;

/** The parsed object of a table: one property per row, typed by its parser. */
export type OptionValues<Rows extends readonly AnyOptionRow[]> = {
  -readonly [R in Rows[number] as R["key"]]: ValueOf<R>;
};

/** Keeps a table's literal types, so `parseOptions` can type its result. */
export function defineOptions<const Rows extends readonly AnyOptionRow[]>(rows: Rows): Rows {
  const keys = new Set<string>();
  const names = new Set<string>();
  for (const row of rows) {
    for (const name of [row.key, row.flag && `--${row.flag}`, row.short && `-${row.short}`]) {
      if (!name) continue;
      const seen = name === row.key ? keys : names;
      if (seen.has(name)) throw new Error(`option table: ${name} appears twice`);
      seen.add(name);
    }
  }
  return rows;
}

export interface ParseOptionsInput {
  /** The arguments after node and the script (`process.argv.slice(2)`). */
  argv: readonly string[];
  env: Record<string, string | undefined>;
  /** Accept arguments that are not options (returned as `positionals`); else each is a UsageError. */
  allowPositionals?: boolean;
}

/**
 * Parses `argv` and `env` against a table. A flag wins over its variable, a
 * variable over the default; an empty variable counts as unset.
 * A bad flag value is a `UsageError` (64) naming `--flag`; a bad or missing
 * variable a `ConfigError` (78) naming the variable; an unknown option is
 * `unknown option '--bogus' (see --help)`.
 */
export function parseOptions<const Rows extends readonly AnyOptionRow[]>(
  rows: Rows,
  input: ParseOptionsInput,
): OptionValues<Rows> & { positionals: string[] } {
  const { given, positionals } = scanArgv(rows, input.argv);
  if (positionals.length > 0 && !input.allowPositionals) {
    throw new UsageError(`unexpected argument '${clip(positionals[0]!)}' (see --help)`);
  }
  const out: Record<string, unknown> = { positionals };
  for (const row of rows) out[row.key] = resolveRow(row, given.get(row), input.env);
  return out as OptionValues<Rows> & { positionals: string[] };
}

function resolveRow(
  row: AnyOptionRow,
  flagValues: string[] | undefined,
  env: ParseOptionsInput["env"],
) {
  const secret = row.secret || row.parse.secret;
  if (flagValues && flagValues.length > 0) {
    const parsed = flagValues.map((text) =>
      parseWith(row, text, `--${row.flag}`, secret, (m) => new UsageError(m)),
    );
    return row.multiple ? parsed : parsed[0];
  }
  const fromEnv = row.env ? env[row.env] : undefined;
  if (row.env && fromEnv !== undefined && fromEnv.trim() !== "") {
    const variable = row.env;
    const fail = (m: string) => new ConfigError(m);
    if (!row.multiple) return parseWith(row, fromEnv, variable, secret, fail);
    return fromEnv
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "")
      .map((part) => parseWith(row, part, variable, secret, fail));
  }
  if (row.default !== undefined) {
    // A default that does not parse is a bug in the table, not the user's doing.
    const value = row.parse(row.default);
    return row.multiple ? [value] : value;
  }
  if (row.required) {
    if (row.flag && row.env) throw new ConfigError(`missing --${row.flag} (or ${row.env})`);
    if (row.env) throw new ConfigError(`missing ${row.env}`);
    throw new UsageError(`missing --${row.flag} (see --help)`);
  }
  return row.multiple ? [] : undefined;
}

function parseWith(
  row: AnyOptionRow,
  text: string,
  source: string,
  secret: boolean | undefined,
  fail: (message: string) => Error,
): unknown {
  try {
    return row.parse(text);
  } catch (error) {
    let message = error instanceof Error ? error.message : String(error);
    if (secret && text.length >= 1) message = message.split(text).join(REDACTED);
    throw fail(`${source}: ${redactText(message)}`);
  }
}

interface Scan {
  given: Map<AnyOptionRow, string[]>;
  positionals: string[];
}

function scanArgv(rows: readonly AnyOptionRow[], argv: readonly string[]): Scan {
  const byFlag = new Map<string, AnyOptionRow>();
  for (const row of rows) {
    if (row.flag) byFlag.set(`--${row.flag}`, row);
    if (row.short) byFlag.set(`-${row.short}`, row);
  }
  const given = new Map<AnyOptionRow, string[]>();
  const positionals: string[] = [];
  const add = (row: AnyOptionRow, value: string) => {
    const values = given.get(row) ?? [];
    if (values.length > 0 && !row.multiple) {
      throw new UsageError(`--${row.flag} was given more than once`);
    }
    values.push(value);
    given.set(row, values);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-" || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    let name = eq === -1 ? arg : arg.slice(0, eq);
    let inline = eq === -1 ? undefined : arg.slice(eq + 1);
    // -ovalue: a short flag glued to its value.
    if (!arg.startsWith("--") && arg.length > 2) {
      name = arg.slice(0, 2);
      inline = arg.slice(2);
    }
    const row = byFlag.get(name);
    if (!row && name.startsWith("--no-") && inline === undefined) {
      const negated = byFlag.get(`--${name.slice(5)}`);
      if (negated?.parse.isSwitch) {
        add(negated, "false");
        continue;
      }
    }
    if (!row) throw new UsageError(`unknown option '${clip(name)}' (see --help)`);
    if (row.parse.isSwitch) {
      if (inline !== undefined && !arg.startsWith("--")) {
        throw new UsageError(`unknown option '${clip(arg)}' (see --help)`);
      }
      add(row, inline ?? "true");
      continue;
    }
    if (inline !== undefined) {
      add(row, inline);
      continue;
    }
    const next = argv[i + 1];
    // "--days -o x": the next option is not a value (a negative number is; "--days=-x" too).
    if (next === undefined || (next.startsWith("-") && next !== "-" && !/^-\d/.test(next))) {
      throw new UsageError(`--${row.flag} needs a value (see --help)`);
    }
    add(row, next);
    i++;
  }
  return { given, positionals };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
