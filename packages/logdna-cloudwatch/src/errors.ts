import { RestyledError } from "@restyled/core/errors";

export { ConfigError, UsageError } from "@restyled/core/errors";

/** The Lambda was invoked with something that is not a CloudWatch Logs subscription event. */
export class InvalidEventError extends RestyledError {
  override name = "InvalidEventError";
}

/** LogDNA did not accept a batch, after retrying what is worth retrying. */
export class DeliveryError extends RestyledError {
  override name = "DeliveryError";
  /** The last HTTP status, or undefined when the request never got an answer. */
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}
