import { UsageError } from "./errors.js";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration such as `90s`, `15m`, `1h` or `2d` into milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value.trim());
  if (!match) {
    throw new UsageError(
      `${flag} must be a duration like 30m, 1h or 2d, got ${JSON.stringify(value)}`,
    );
  }
  return Number(match[1]) * UNITS[match[2]!]!;
}

/**
 * Reads a point in time: a duration counts back from `now` (`1h` = an hour
 * ago), anything else must be an ISO 8601 date and time.
 */
export function parseTimeAgo(value: string, flag: string, now = Date.now()): number {
  if (/^\d+(ms|s|m|h|d)$/.test(value.trim())) return now - parseDuration(value, flag);
  if (/^\d{4}-\d\d-\d\d/.test(value.trim())) {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return time;
  }
  throw new UsageError(
    `${flag} must be a duration ago (1h, 2d) or an ISO time (2026-05-01T12:00:00Z), got ${JSON.stringify(value)}`,
  );
}
