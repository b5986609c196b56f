// What a secret looks like in output, decided once: every redacted value
// becomes "[redacted]", whether found by its key or by its shape.

/** What every redacted value is replaced with. */
export const REDACTED = "[redacted]";

/**
 * Keys whose values are secrets whatever they hold. Matched against the key
 * with `-`/`_` removed, case-insensitively, so `api_key`, `apiKey` and
 * `API-KEY` all match; `key` alone matches, `keySize` or `cacheKey` do not.
 */
const SECRET_KEY =
  /^(?:.*(?:token|password|passwd|secret|authorization|apikey|privatekey|credentials?|cookie)|key|.*(?:access|secret|private|api|ingest|session)key)$/i;

/** Whether a field called `key` holds a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.replace(/[-_]/g, ""));
}

const URL_WITH_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/)([^:/?#\s@]*):([^@\s/?#]*)@/gi;
const PEM_PRIVATE_KEY =
  /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
// A credential has a digit or is long: "token rejected" stays readable.
const AUTH_SCHEME =
  /\b(bearer|token|basic)(\s+)(?:(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}|[A-Za-z0-9._~+/=-]{20,})/gi;
const AUTH_HEADER = /\b(authorization|x-api-key|apikey)(["']?\s*[:=]\s*["']?)[^\s"',;]+/gi;

/**
 * Hides secrets found by their shape in free text: URL passwords (the raw
 * and the percent-decoded form, wherever the decoded one appears too), PEM
 * private keys and `Bearer`/`token` credentials.
 */
export function redactText(text: string): string {
  const decodedPasswords: string[] = [];
  let out = text.replace(
    URL_WITH_PASSWORD,
    (_match, scheme: string, user: string, pass: string) => {
      const decoded = safeDecode(pass);
      if (decoded !== pass && decoded.length >= 4) decodedPasswords.push(decoded);
      return `${scheme}${user}:${REDACTED}@`;
    },
  );
  // A client library may echo the decoded password (an AUTH error, a log of
  // its options) next to the URL; hide that form as well.
  for (const secret of decodedPasswords) out = out.split(secret).join(REDACTED);
  return out
    .replace(PEM_PRIVATE_KEY, `-----BEGIN $1PRIVATE KEY----- ${REDACTED}`)
    .replace(AUTH_SCHEME, `$1$2${REDACTED}`)
    .replace(AUTH_HEADER, `$1$2${REDACTED}`);
}

/**
 * A URL fit for a log line: user name and password masked; path and query
 * kept (use `redactText` on the result when they may carry a token). Never
 * echoes a URL it cannot parse.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return "(unparseable URL)";
  }
  if (parsed.password) parsed.password = REDACTED;
  if (parsed.username) parsed.username = REDACTED;
  return parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
}

/**
 * Hides every occurrence of each given secret (and its percent-decoded form),
 * longest first so a secret containing another is hidden whole. For a value
 * known to be secret that has no recognisable shape (a Heroku API key).
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  const all = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    all.add(secret);
    all.add(safeDecode(secret));
  }
  let out = text;
  for (const secret of [...all].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * A deep copy of `value` fit for a log line: secret keys replaced, strings
 * passed through `redactText`, errors turned into `{name, message, cause}`
 * (the stack too when `withStack`).
 */
export function redactValue(value: unknown, options: { withStack?: boolean } = {}): unknown {
  return walk(value, options.withStack ?? false, 0, new WeakSet());
}

function walk(value: unknown, withStack: boolean, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (depth > 8) return "[too deep]";
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (value instanceof Error) return serializeError(value, withStack, depth, seen);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof URL) return redactText(redactUrl(value));
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((item) => walk(item, withStack, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      isSecretKey(key) && item !== undefined && item !== null && item !== ""
        ? REDACTED
        : walk(item, withStack, depth + 1, seen);
  }
  return out;
}

function serializeError(
  error: Error,
  withStack: boolean,
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: redactText(error.message) };
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") out.code = code;
  if (withStack && error.stack) out.stack = redactText(error.stack);
  if (error.cause !== undefined) out.cause = walk(error.cause, withStack, depth + 1, seen);
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
