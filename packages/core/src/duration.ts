/**
 * The one duration grammar: `500ms`, `90s`, `15m`, `1h`, `1h30m`, `2d`, or a
 * bare number of seconds (systemd's convention). Units descend, each at most once.
 */

const UNITS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
const ORDER = ["d", "h", "m", "s", "ms"] as const;

/** A hint for error messages and `--help`. */
export const DURATION_HINT = "like 500ms, 90s, 15m, 1h30m or 2d; a bare number is seconds";

/**
 * Parses a duration into milliseconds. Throws a plain `Error` for anything
 * else; the option layer adds the flag or variable's name.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|d|h|m|s)/g)];
  const consumed = parts.map((part) => part[0]).join("");
  let last = -1;
  const inOrder = parts.every((part) => {
    const index = ORDER.indexOf(part[2] as (typeof ORDER)[number]);
    const ok = index > last;
    last = index;
    return ok;
  });
  if (trimmed === "" || parts.length === 0 || consumed !== trimmed || !inOrder) {
    throw new Error(`${JSON.stringify(text.slice(0, 40))} is not a duration (${DURATION_HINT})`);
  }
  const ms = parts.reduce(
    (total, [, amount, unit]) => total + Number(amount) * UNITS[unit as keyof typeof UNITS],
    0,
  );
  if (!Number.isSafeInteger(Math.round(ms))) {
    throw new Error(`${JSON.stringify(text.slice(0, 40))} is too long a duration`);
  }
  return Math.round(ms);
}

/** Formats milliseconds in the same grammar, compactly: `90000` → `1m30s`, `250` → `250ms`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return String(ms);
  let rest = Math.round(ms);
  if (rest === 0) return "0s";
  const parts: string[] = [];
  for (const unit of ORDER) {
    const size = UNITS[unit];
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.join("");
}
