// Domain errors of check-redis-url; the base classes and exit codes are
// @restyled/core's, and runMain turns them into exit codes.
import { ConfigError, ExitCode, RestyledError, UsageError } from "@restyled/core/errors";
import type { CheckOutcome } from "./check.js";

export { ConfigError, exitCodeFor, RestyledError, UsageError } from "@restyled/core/errors";

/** The Heroku Platform API answered with an error or something unreadable (69 when trying later may work). */
export class HerokuApiError extends RestyledError {
  override name = "HerokuApiError";
  readonly status: number | undefined;
  constructor(
    message: string,
    options: { status?: number; cause?: unknown; unavailable?: boolean } = {},
  ) {
    super(message, {
      cause: options.cause,
      exitCode: options.unavailable ? ExitCode.unavailable : ExitCode.failure,
    });
    this.status = options.status;
  }
}

/** A credential URL that cannot be parsed, has an unsupported form or changed kind. */
export class InvalidUrlError extends RestyledError {
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
export class RedisUnreachableError extends RestyledError {
  override name = "RedisUnreachableError";
}

/** The new PostgreSQL URL could not connect and run `SELECT 1`, so it was not written. */
export class PostgresUnreachableError extends RestyledError {
  override name = "PostgresUnreachableError";
}

/** A service rolled for a new credential did not reach a steady state in time (or rolled back). */
export class RollError extends RestyledError {
  override name = "RollError";
}

/**
 * Some variables (or the roll) failed; the others were still synced. Carries
 * each failure and the outcome so far, so the CLI can print what was done.
 * Its exit code is the failures' own when they agree (78 when every one is
 * configuration to fix), else 1.
 */
export class SyncFailedError extends RestyledError {
  override name = "SyncFailedError";
  readonly failures: Error[];
  readonly outcome: CheckOutcome;
  constructor(failures: Error[], outcome: CheckOutcome) {
    const message =
      failures.length === 1
        ? (failures[0]?.message ?? "failed")
        : `${failures.length} problems: ${failures.map((f) => f.message).join("; ")}`;
    const codes = new Set(
      failures.map((f) => (f instanceof RestyledError ? f.exitCode : ExitCode.failure)),
    );
    const [only] = codes;
    super(message, {
      cause: failures[0],
      exitCode: codes.size === 1 && only !== undefined ? only : ExitCode.failure,
    });
    this.failures = failures;
    this.outcome = outcome;
  }
}

/** Whether the operator can fix this (a flag or configuration), as the Lambda reports it. */
export function isConfigurationError(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    error instanceof ConfigError ||
    (error instanceof RestyledError && error.exitCode === ExitCode.config)
  );
}
