/**
 * Structured logging: one JSON object a line (`time`, `level`, `name`, `msg`,
 * fields) on stderr, secrets redacted by key and by value before writing.
 */
import { ConfigError } from "./errors.js";
import { redactValue } from "./redact.js";

export { isSecretKey, REDACTED, redactSecrets, redactText, redactUrl } from "./redact.js";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

/** The levels in order; a logger writes its own level and those after it. */
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (an instance id, a request id…). */
  child(fields: LogFields): Logger;
}

/** Anything with `write(string)`: `process.stderr`, a test collector. */
export interface LogStream {
  write(chunk: string): unknown;
}

export interface LoggerOptions {
  /** The tool's name, on every line as `name`. */
  name: string;
  /** Default: `resolveLogLevel(process.env)`. */
  level?: LogLevel;
  /** Default: `process.stderr`. */
  stream?: LogStream;
  /** Fields on every line. */
  fields?: LogFields;
}

/** Creates a logger; see `Logger`. Errors in fields are written with their `cause` chain. */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? resolveLogLevel(process.env);
  const stream = options.stream ?? process.stderr;
  return makeLogger(options.name, level, stream, options.fields ?? {});
}

function makeLogger(name: string, level: LogLevel, stream: LogStream, base: LogFields): Logger {
  const threshold = RANK[level];
  const withStack = level === "debug";
  const emit = (at: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[at] < threshold) return;
    const record = redactValue({ ...base, ...fields }, { withStack }) as LogFields;
    const line: LogFields = { time: new Date().toISOString(), level: at, name, msg: "" };
    line.msg = redactValue(msg);
    // A field cannot overwrite ours (a machine's `name` is a common field): it is renamed.
    for (const [key, value] of Object.entries(record)) {
      line[key in line ? `${key}Field` : key] = value;
    }
    stream.write(`${JSON.stringify(line)}\n`);
  };
  return {
    level,
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    child: (fields) => makeLogger(name, level, stream, { ...base, ...fields }),
  };
}

/** A logger that writes nothing, for tests and library callers. */
export function silentLogger(): Logger {
  return makeLogger("silent", "error", { write: () => true }, {});
}

/**
 * The one `LOG_LEVEL` policy: inside Lambda (`AWS_LAMBDA_FUNCTION_NAME` set)
 * `AWS_LAMBDA_LOG_LEVEL` wins when set (Lambda's advanced logging controls),
 * else `LOG_LEVEL`. Case-insensitive `debug|info|warn|error`, default `info`;
 * Lambda's `TRACE` counts as debug and `FATAL` as error. Anything else is a
 * `ConfigError` naming the variable.
 */
export function resolveLogLevel(env: Record<string, string | undefined>): LogLevel {
  const inLambda = Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
  const lambdaLevel = env.AWS_LAMBDA_LOG_LEVEL?.trim();
  if (inLambda && lambdaLevel) return parseLevel(lambdaLevel, "AWS_LAMBDA_LOG_LEVEL", true);
  const level = env.LOG_LEVEL?.trim();
  if (!level) return "info";
  return parseLevel(level, "LOG_LEVEL", false);
}

function parseLevel(text: string, variable: string, lambda: boolean): LogLevel {
  const lower = text.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(lower)) return lower as LogLevel;
  if (lambda && lower === "trace") return "debug";
  if (lambda && lower === "fatal") return "error";
  throw new ConfigError(
    `${variable}: ${JSON.stringify(text.slice(0, 40))} is not a log level (use debug, info, warn or error)`,
  );
}
