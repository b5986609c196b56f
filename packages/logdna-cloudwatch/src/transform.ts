import type { LogEvent, SubscriptionPayload } from "./decode.js";
import { type Level, leadingLevel, normalizeLevel, parseLambdaLine } from "./level.js";

/** One line of a LogDNA ingest request. */
export interface LogdnaLine {
  timestamp: number;
  line: string;
  app: string;
  level?: Level;
  env: string;
  file: string;
  meta?: Record<string, unknown>;
}

/** LogDNA's own client keeps lines under 32,000 characters. */
export const MAX_LINE_CHARS = 32_000;
/** … and `app` under 80. */
export const MAX_APP_CHARS = 80;

export interface TransformOptions {
  /** The environment to report when the log group does not name one. */
  env: string;
}

const RESTYLED_GROUP = /^\/?restyled\/([^/]+)\/(.+)$/;

/** `app` and `env` for a log group: `restyled/{env}/{app}`, else the whole group name. */
export function describeLogGroup(
  logGroup: string,
  fallbackEnv: string,
): { app: string; env: string } {
  const match = RESTYLED_GROUP.exec(logGroup);
  const app = match ? match[2]! : logGroup;
  return { app: app.slice(0, MAX_APP_CHARS), env: match ? match[1]! : fallbackEnv };
}

/** Turns a subscription payload into LogDNA lines; a CONTROL_MESSAGE has none. */
export function toLogdnaLines(
  payload: SubscriptionPayload,
  options: TransformOptions,
): LogdnaLine[] {
  if (payload.messageType !== "DATA_MESSAGE") return [];
  const { app, env } = describeLogGroup(payload.logGroup, options.env);
  const file = payload.logStream;
  return payload.logEvents.map((event) => toLogdnaLine(event, { app, env, file }));
}

/** One event as a LogDNA line: level found, JSON kept as fields, size kept in bounds. */
export function toLogdnaLine(
  event: LogEvent,
  where: { app: string; env: string; file: string },
): LogdnaLine {
  let text = event.message;
  // Docker and most runtimes end each message with a newline LogDNA would show.
  if (text.charCodeAt(text.length - 1) === 0x0a) {
    text = text.slice(0, text.charCodeAt(text.length - 2) === 0x0d ? -2 : -1);
  }

  let level: Level | undefined;
  let meta: Record<string, unknown> | undefined;
  const lambda = parseLambdaLine(text);
  if (lambda) {
    text = lambda.body;
    level = lambda.level;
    meta = { requestId: lambda.requestId };
  }

  const fields = parseJsonObject(text);
  if (fields) {
    level = normalizeLevel(fields.level) ?? normalizeLevel(fields.severity) ?? level;
    meta = meta ? { ...meta, ...fields } : fields;
  } else {
    level ??= leadingLevel(text);
  }

  const line: LogdnaLine = {
    timestamp: event.timestamp,
    line: text,
    app: where.app,
    env: where.env,
    file: where.file,
  };
  if (level) line.level = level;
  if (text.length > MAX_LINE_CHARS) {
    line.line = truncateLine(text);
    // The fields of a JSON line this long would be as big again: keep only
    // what says what happened.
    meta = {
      ...(lambda ? { requestId: lambda.requestId } : {}),
      truncated: true,
      length: text.length,
    };
  }
  if (meta) line.meta = meta;
  return line;
}

/** Cuts a line to MAX_LINE_CHARS, ending with a marker that says how much was cut. */
export function truncateLine(text: string, max = MAX_LINE_CHARS): string {
  if (text.length <= max) return text;
  const marker = ` … [truncated ${text.length} chars to ${max}]`;
  let end = max - marker.length;
  // Never split a surrogate pair: half an emoji is invalid UTF-16.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + marker;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  // Cheap checks first: most lines are not JSON, and JSON.parse throwing is slow.
  if (text.charCodeAt(0) !== 0x7b /* { */ || text.charCodeAt(text.length - 1) !== 0x7d /* } */) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
