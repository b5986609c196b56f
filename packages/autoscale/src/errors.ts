/** A bad flag or argument: the user can fix it (exit 64). */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Missing or malformed configuration, from a flag or environment variable (exit 78). */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** A trace file that cannot be replayed; the message names the row. A usage error (exit 64). */
export class TraceError extends UsageError {
  override name = "TraceError";
}

/** A dependency (Redis, AWS, restyled.io) failed while gathering inputs or acting. */
export class DependencyError extends Error {
  override name = "DependencyError";
}

/** The Auto Scaling group named in the configuration does not exist. */
export class GroupNotFoundError extends Error {
  override name = "GroupNotFoundError";
}

/** restyled.io's admin API refused or failed a request. */
export class RestyledApiError extends Error {
  override name = "RestyledApiError";
}

/** A run that could not finish; carries its decision record, whose `error` says why. */
export class AutoscaleRunError extends Error {
  override name = "AutoscaleRunError";
  constructor(readonly record: { error?: { name: string; message: string }; reason: string }) {
    super(`autoscale run failed, no scaling action: ${record.error?.message ?? record.reason}`);
  }
}
