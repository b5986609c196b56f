import { redactSecrets } from "@restyled/core/logger";

/**
 * The secrets of one run that have no recognisable shape once they leave
 * their URL: the Heroku API key and the URLs' passwords. The shared logger
 * hides URL passwords inside URLs; a server or a third party echoing one
 * bare (an error body, a driver message) is caught here, before the message
 * is logged or thrown.
 */
export class RunSecrets {
  private readonly known = new Set<string>();

  add(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.known.add(secret);
  }

  /** A URL's password (raw and percent-decoded); the whole value when it does not parse. */
  addUrl(raw: string): void {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      this.add(raw);
      return;
    }
    this.add(url.password);
    try {
      this.add(decodeURIComponent(url.password));
    } catch {}
  }

  scrub(text: string): string {
    return redactSecrets(text, this.known);
  }

  /** The same error with every known secret hidden in its message and its causes' messages. */
  scrubError<T>(error: T): T {
    let current: unknown = error;
    for (let depth = 0; current instanceof Error && depth < 5; depth++) {
      current.message = this.scrub(current.message);
      if (current.stack) current.stack = this.scrub(current.stack);
      current = current.cause;
    }
    if (error instanceof Error && "failures" in error && Array.isArray(error.failures)) {
      for (const failure of error.failures) this.scrubError(failure);
    }
    return error;
  }
}
