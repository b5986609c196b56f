/** Structured JSON logs on stderr, one object a line, level from `LOG_LEVEL`. */

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Reads a log level, falling back to `info` for an unset or unknown value. */
export function parseLogLevel(value: string | undefined): LogLevel {
  const level = value?.trim().toLowerCase();
  return level && level in LEVELS ? (level as LogLevel) : "info";
}

/** Makes a logger writing to `write` (stderr by default) at or above `level`. */
export function createLogger(
  options: { level?: LogLevel; write?: (line: string) => void } = {},
): Logger {
  const threshold = LEVELS[options.level ?? parseLogLevel(process.env.LOG_LEVEL)];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log =
    (level: LogLevel) =>
    (msg: string, fields: LogFields = {}) => {
      if (LEVELS[level] < threshold) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
    };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

/** The package's logger; the level is read once, when the module loads. */
export const logger: Logger = createLogger();

/** For tests and callers that want silence. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
