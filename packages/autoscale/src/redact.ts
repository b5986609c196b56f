/** Hides the password (and user name) of a URL before it reaches a log line or an error. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    // A URL can carry a secret in either half of its credentials.
    if (parsed.password) parsed.password = "***";
    if (parsed.username) parsed.username = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/** Replaces every occurrence of each secret in a message. */
export function redactSecrets(text: string, secrets: Array<string | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join("***");
  }
  return result;
}
