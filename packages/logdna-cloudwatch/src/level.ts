/** The levels LogDNA understands. */
export type Level = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL";

const NAMES: Record<string, Level> = {
  trace: "TRACE",
  debug: "DEBUG",
  info: "INFO",
  information: "INFO",
  notice: "INFO",
  warn: "WARN",
  warning: "WARN",
  error: "ERROR",
  err: "ERROR",
  fatal: "FATAL",
  critical: "FATAL",
  crit: "FATAL",
  alert: "FATAL",
  emerg: "FATAL",
  emergency: "FATAL",
  panic: "FATAL",
};

/**
 * Maps a level from a JSON log field to LogDNA's: names in any case
 * ("warning", "Error") and pino's numbers (10 trace … 60 fatal).
 */
export function normalizeLevel(value: unknown): Level | undefined {
  if (typeof value === "string") return NAMES[value.trim().toLowerCase()];
  if (typeof value === "number" && Number.isFinite(value)) {
    if (value >= 60) return "FATAL";
    if (value >= 50) return "ERROR";
    if (value >= 40) return "WARN";
    if (value >= 30) return "INFO";
    if (value >= 20) return "DEBUG";
    if (value >= 10) return "TRACE";
  }
  return undefined;
}

// Upper case only when bare: "Error handling is done" must not become an ERROR;
// a bracketed word ("[warn] …") is a level in any case.
const LEADING_WORD =
  /^(?:(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|FATAL|CRITICAL)(?=[\s:]|$)|\[([A-Za-z]+)\])/;

/** The level named by a line's first word (`ERROR …`, `WARN: …`, `[info] …`), if any. */
export function leadingLevel(line: string): Level | undefined {
  const match = LEADING_WORD.exec(line);
  if (!match) return undefined;
  return normalizeLevel(match[1] ?? match[2]);
}

/** A line as Lambda's runtimes format it, split into its parts. */
export interface LambdaLine {
  requestId: string;
  level: Level | undefined;
  /** The message after the prefix. */
  body: string;
}

// Node.js: "2024-05-01T12:00:00.000Z\t<request id>\tINFO\tmessage"
const NODE_PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\t([^\t\s]+)\t([A-Z]+)\t/;
// Python: "[INFO]\t2024-05-01T12:00:00.000Z\t<request id>\tmessage"
const PYTHON_PREFIX = /^\[([A-Z]+)\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\t([^\t\s]+)\t/;

/** Splits Lambda's `timestamp<TAB>requestId<TAB>LEVEL<TAB>` prefix off a line. */
export function parseLambdaLine(line: string): LambdaLine | undefined {
  // Most lines are not Lambda's: look at the first character before any regex.
  const first = line.charCodeAt(0);
  const mayBeNode = first >= 0x30 && first <= 0x39; // a digit: "2026-…"
  if (!mayBeNode && first !== 0x5b /* [ */) return undefined;
  let match = mayBeNode ? NODE_PREFIX.exec(line) : null;
  if (match) {
    return {
      requestId: match[1]!,
      level: normalizeLevel(match[2]),
      body: line.slice(match[0].length),
    };
  }
  match = mayBeNode ? null : PYTHON_PREFIX.exec(line);
  if (match) {
    return {
      requestId: match[2]!,
      level: normalizeLevel(match[1]),
      body: line.slice(match[0].length),
    };
  }
  return undefined;
}
