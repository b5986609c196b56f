/** A bad flag or argument: the user can fix the command line (exit 64). */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Missing or malformed configuration the operator can fix: an environment
 * variable, an SSM parameter, a rejected API key, missing IAM rights (exit 78).
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The Heroku Platform API answered with an error or something unreadable. */
export class HerokuApiError extends Error {
  override name = "HerokuApiError";
  readonly status: number | undefined;
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

/** SSM refused or failed a call (throttling, an outage). */
export class SsmError extends Error {
  override name = "SsmError";
}

/** A Redis URL that cannot be parsed or has an unsupported form. */
export class InvalidRedisUrlError extends Error {
  override name = "InvalidRedisUrlError";
}

/** The new Redis URL did not answer PING, so it was not written. */
export class RedisUnreachableError extends Error {
  override name = "RedisUnreachableError";
}

/** The exit code for an error: 64 usage, 78 configuration, 1 anything else. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return 64;
  if (error instanceof ConfigError) return 78;
  return 1;
}
