/** Structured JSON-lines logging on stderr, level from LOG_LEVEL. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Reads LOG_LEVEL, falling back to `info` for an unknown value. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const level = env.LOG_LEVEL?.toLowerCase();
  return level && level in LEVELS ? (level as LogLevel) : "info";
}

export function createLogger(options: {
  level?: LogLevel;
  write?: (line: string) => void;
}): Logger {
  const threshold = LEVELS[options.level ?? logLevelFromEnv()];
  const write = options.write ?? ((line: string) => console.error(line));
  const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < threshold) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

/** A logger that drops everything, for tests and library callers. */
export const silentLogger: Logger = createLogger({ level: "error", write: () => {} });
