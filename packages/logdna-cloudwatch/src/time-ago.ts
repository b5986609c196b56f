import { parseDuration } from "@restyled/core/duration";
import { UsageError } from "@restyled/core/errors";

const ISO_DATE = /^\d{4}-\d\d-\d\d/;

/**
 * Reads a point in time: a duration (the shared grammar) counts back from
 * `now` (`1h` = an hour ago), anything that starts like a date must be an
 * ISO 8601 date and time.
 */
export function parseTimeAgo(value: string, flag: string, now = Date.now()): number {
  const text = value.trim();
  if (ISO_DATE.test(text)) {
    const time = Date.parse(text);
    if (!Number.isNaN(time)) return time;
  } else {
    try {
      return now - parseDuration(text);
    } catch {
      // Falls through to the one message below.
    }
  }
  throw new UsageError(
    `${flag} must be a duration ago (1h, 2d) or an ISO time (2026-05-01T12:00:00Z), got ${JSON.stringify(value)}`,
  );
}
