// How long to wait before trying an HTTP call again, and which failures are
// worth it: for the tools' own HTTP clients (LogDNA, restyled.io). AWS SDK
// calls use the SDK's own retry strategy instead (`@restyled/core/aws`).

/** How long to wait between attempts. */
export interface BackoffOptions {
  /** The wait after the first failure, before jitter. */
  baseMs: number;
  /** No wait grows past this. */
  capMs: number;
  /** A number in [0, 1); injectable so tests are deterministic. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 20_000, random: Math.random };

/**
 * Exponential backoff with "equal jitter": half the doubled delay is fixed and
 * half random, so many clients failing together do not retry in lockstep, yet
 * none retries at once. `attempt` counts from 1 (the wait after the first failure).
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponential = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + options.random() * (exponential / 2));
}

/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date (RFC 9110,
 * section 10.2.3). Returns milliseconds from `now`, or undefined when absent
 * or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names its day or month; a bare "-1" is not one.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Statuses worth another try: rate limiting and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Network errors worth another try. A TLS verification failure is not one:
 * it will fail the same way until someone fixes the certificate or the URL.
 */
export function isRetryableNetworkError(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? "");
  return !/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|ERR_INVALID/.test(code);
}
