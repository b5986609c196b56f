import { ConfigError } from "./errors.js";
import { scrubSecrets } from "./redact.js";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Registers a value that must never appear in output (a key, a password). */
  protect(secret: string): void;
  /** `text` with every protected value masked, for output that bypasses the logger. */
  scrub(text: string): string;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where each JSON line goes; stderr by default. */
  write?: (line: string) => void;
}

/** Reads `LOG_LEVEL` (default `info`), failing on an unknown value. */
export function parseLogLevel(value: string | undefined): LogLevel {
  if (value === undefined || value === "") return "info";
  const level = value.toLowerCase();
  if (level in LEVELS) return level as LogLevel;
  throw new ConfigError(`LOG_LEVEL must be one of debug, info, warn, error (got "${value}")`);
}

/**
 * A logger writing one JSON object per line (`time`, `level`, `msg`, fields).
 * Protected values are masked in every string of a line, so a secret that
 * slips into an error message still does not reach the log.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? "info";
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secrets = new Set<string>();
  const scrub = (text: string) => scrubSecrets(text, secrets);

  const log = (at: LogLevel, msg: string, fields: LogFields = {}) => {
    if (LEVELS[at] < LEVELS[level]) return;
    const record = { time: new Date().toISOString(), level: at, msg, ...fields };
    const line = JSON.stringify(record, (key, value) => {
      if (value instanceof Error) return serializeError(value, level === "debug");
      // The level and time are ours; masking them would only garble the line.
      if (typeof value === "string" && key !== "level" && key !== "time") return scrub(value);
      return value;
    });
    write(line);
  };

  return {
    level,
    debug: (msg, fields) => log("debug", msg, fields),
    info: (msg, fields) => log("info", msg, fields),
    warn: (msg, fields) => log("warn", msg, fields),
    error: (msg, fields) => log("error", msg, fields),
    protect(secret) {
      if (secret !== "") secrets.add(secret);
    },
    scrub,
  };
}

function serializeError(error: Error, withStack: boolean): LogFields {
  const fields: LogFields = { name: error.name, message: error.message };
  if (withStack && error.stack) fields.stack = error.stack;
  if (error.cause !== undefined) {
    fields.cause =
      error.cause instanceof Error ? serializeError(error.cause, withStack) : error.cause;
  }
  return fields;
}
