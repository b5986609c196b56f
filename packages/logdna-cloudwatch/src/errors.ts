/** A bad flag or argument on the command line (exit 64). */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Missing or malformed configuration: an environment variable, an SSM parameter (exit 78). */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The Lambda was invoked with something that is not a CloudWatch Logs subscription event. */
export class InvalidEventError extends Error {
  override name = "InvalidEventError";
}

/** LogDNA did not accept a batch, after retrying what is worth retrying. */
export class DeliveryError extends Error {
  override name = "DeliveryError";
  /** The last HTTP status, or undefined when the request never got an answer. */
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}
