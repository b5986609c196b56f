const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000 };

/**
 * Parses `500ms`, `5s` or `2m` into milliseconds. A unit is required: a bare
 * number is ambiguous between the seconds and milliseconds people expect.
 * Returns undefined for anything else so the caller can name the setting.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * (UNITS[match[2] ?? ""] ?? Number.NaN);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}
