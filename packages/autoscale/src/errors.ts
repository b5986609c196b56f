import { ConfigError, RestyledError, UnavailableError, UsageError } from "@restyled/core/errors";

export { RestyledApiError } from "@restyled/core/restyled-api";
export { ConfigError, UsageError };

/** A trace file that cannot be replayed; the message names the row. A usage error (exit 64). */
export class TraceError extends UsageError {
  override name = "TraceError";
}

/** A dependency (Redis, AWS, restyled.io) failed while gathering inputs or acting. */
export class DependencyError extends UnavailableError {
  override name = "DependencyError";
}

/** The Auto Scaling group named in the configuration does not exist. */
export class GroupNotFoundError extends RestyledError {
  override name = "GroupNotFoundError";
}

/** A run that could not finish; carries its decision record, whose `error` says why. */
export class AutoscaleRunError extends RestyledError {
  override name = "AutoscaleRunError";
  constructor(readonly record: { error?: { name: string; message: string }; reason: string }) {
    super(`autoscale run failed, no scaling action: ${record.error?.message ?? record.reason}`);
  }
}
