// The one place that decides what a secret looks like in output: URLs are
// shown as `scheme://***@host:port`, and any registered secret that still
// reaches a log line or an error message is replaced by `***`.

const MASK = "***";
const UNPARSEABLE = "(unparseable URL)";

/**
 * A URL fit for logs: scheme, host and port only, credentials masked, path
 * and query dropped (they may carry tokens). Never echoes a URL it cannot parse.
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return UNPARSEABLE;
  }
  // Non-special schemes (redis:) keep an empty host for "redis:foo"; say so.
  if (url.host === "") return UNPARSEABLE;
  const credentials = url.username !== "" || url.password !== "" ? `${MASK}@` : "";
  return `${url.protocol}//${credentials}${url.host}`;
}

/**
 * The password of a URL, raw and percent-decoded, to register as a secret.
 * (User names such as Heroku's old `h` are masked in URLs but not scrubbed
 * everywhere: that would garble every line without hiding anything secret.)
 */
export function secretsOfUrl(raw: string): string[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Unparseable: the whole value is the only safe thing to hide.
    return [raw];
  }
  if (url.password === "") return [];
  return [url.password, safeDecode(url.password)];
}

/**
 * Replaces every occurrence of each secret in `text` by `***`, longest first
 * so a secret containing another is masked whole.
 */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  const ordered = [...new Set(secrets)].filter((s) => s !== "").sort((a, b) => b.length - a.length);
  let scrubbed = text;
  for (const secret of ordered) scrubbed = scrubbed.split(secret).join(MASK);
  return scrubbed;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
