/** The agent's logging: `@restyled/core`'s JSON lines, named `restyled-agent`. */
import { createLogger, type Logger, type LogLevel, type LogStream } from "@restyled/core/logger";

export { errorMessage } from "@restyled/core/errors";
export type { LogFields, Logger, LogLevel, LogStream } from "@restyled/core/logger";

/** The name on every line. */
export const LOGGER_NAME = "restyled-agent";

/**
 * The agent's logger. Lines go to `stream` (stderr by default), or to
 * `write` one JSON line at a time (tests collect them).
 */
export function createAgentLogger(
  options: { level?: LogLevel; stream?: LogStream; write?: (line: string) => void } = {},
): Logger {
  const { write } = options;
  return createLogger({
    name: LOGGER_NAME,
    level: options.level ?? "info",
    stream: options.stream ?? (write ? { write: (chunk) => write(chunk.trimEnd()) } : undefined),
  });
}
