import { ConfigError } from "./errors.js";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration such as `30s`, `10m`, `1h30m` or `250ms` into milliseconds.
 * `what` names the flag or variable, so that the error says where the bad value came from.
 */
export function parseDuration(value: string, what: string): number {
  const text = value.trim();
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const consumed = parts.map((p) => p[0]).join("");
  if (text === "" || parts.length === 0 || consumed !== text) {
    throw new ConfigError(
      `${what}: "${value}" is not a duration (use a number with ms, s, m or h, like 30s or 10m)`,
    );
  }
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * UNIT_MS[unit!]!, 0);
}

/** Formats milliseconds compactly for messages: `90000` → `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms < 1_000) return `${Math.round(ms)}ms`;
  let seconds = Math.round(ms / 1_000);
  const hours = Math.floor(seconds / 3_600);
  seconds -= hours * 3_600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return (
    [hours && `${hours}h`, minutes && `${minutes}m`, seconds && `${seconds}s`]
      .filter(Boolean)
      .join("") || "0s"
  );
}
