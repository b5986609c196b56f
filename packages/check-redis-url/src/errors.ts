import type { CheckOutcome } from "./check.js";

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

/** A credential URL that cannot be parsed, has an unsupported form or changed kind. */
export class InvalidUrlError extends Error {
  override name = "InvalidUrlError";
}

/** A Redis URL that cannot be parsed or has an unsupported form. */
export class InvalidRedisUrlError extends InvalidUrlError {
  override name = "InvalidRedisUrlError";
}

/** A PostgreSQL URL that cannot be parsed or has an unsupported form. */
export class InvalidPostgresUrlError extends InvalidUrlError {
  override name = "InvalidPostgresUrlError";
}

/** The new Redis URL did not answer PING, so it was not written. */
export class RedisUnreachableError extends Error {
  override name = "RedisUnreachableError";
}

/** The new PostgreSQL URL could not connect and run `SELECT 1`, so it was not written. */
export class PostgresUnreachableError extends Error {
  override name = "PostgresUnreachableError";
}

/** ECS refused or failed a call while finding or rolling the services that read a parameter. */
export class EcsError extends Error {
  override name = "EcsError";
}

/** A service rolled for a new credential did not reach a steady state in time (or rolled back). */
export class RollError extends Error {
  override name = "RollError";
}

/**
 * Some variables (or the roll) failed; the others were still synced. Carries
 * each failure and the outcome so far, so the CLI can print what was done.
 */
export class SyncFailedError extends Error {
  override name = "SyncFailedError";
  readonly failures: Error[];
  readonly outcome: CheckOutcome;
  constructor(failures: Error[], outcome: CheckOutcome) {
    const message =
      failures.length === 1
        ? (failures[0]?.message ?? "failed")
        : `${failures.length} problems: ${failures.map((f) => f.message).join("; ")}`;
    super(message, { cause: failures[0] });
    this.failures = failures;
    this.outcome = outcome;
  }
}

/** The exit code for an error: 64 usage, 78 configuration, 1 anything else. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return 64;
  if (error instanceof ConfigError) return 78;
  if (error instanceof SyncFailedError && error.failures.every((f) => f instanceof ConfigError)) {
    return 78;
  }
  return 1;
}
