import { describeAwsError } from "@restyled/core/aws";
import { RestyledError } from "@restyled/core/errors";

export {
  ConfigError,
  InterruptedError,
  RestyledError,
  UnavailableError,
  UsageError,
} from "@restyled/core/errors";

/** One or more templates failed validation; the problems were already printed (exit 1). */
export class InvalidTemplatesError extends RestyledError {
  override name = "InvalidTemplatesError";
}

/** A stack operation ended in a failed or rolled-back state, or cannot start (exit 1). */
export class StackOperationError extends RestyledError {
  override name = "StackOperationError";
}

/** The operator declined the confirmation prompt; nothing was changed (exit 1). */
export class CancelledError extends RestyledError {
  override name = "CancelledError";
}

/** Building or uploading a Lambda package failed (exit 1). */
export class LambdaCodeError extends RestyledError {
  override name = "LambdaCodeError";
}

/**
 * An AWS SDK failure as an error the operator can act on (core's
 * classification: no region or credentials → 78, timeouts and unreachable
 * endpoints → 69), naming the call; any other error passes unchanged.
 */
export function describeFailure(error: unknown): unknown {
  if (error instanceof RestyledError || !(error instanceof Error)) return error;
  const e = error as Error & { $call?: string; $metadata?: unknown };
  const fromSdk =
    e.$call !== undefined ||
    e.$metadata !== undefined ||
    e.name === "CredentialsProviderError" ||
    /Region is missing/i.test(e.message);
  if (!fromSdk) return error;
  return describeAwsError(error, { call: e.$call ?? "AWS" });
}
