/** A bad flag or argument: the user can fix the command line (exit 64). */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Missing or malformed configuration: a parameter, a file, a variable (exit 78). */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** AWS could not be reached, or did not answer in time (exit 69). */
export class UnavailableError extends Error {
  override name = "UnavailableError";
}

/** One or more templates failed validation; the problems were already printed. */
export class InvalidTemplatesError extends Error {
  override name = "InvalidTemplatesError";
}

/** A stack operation ended in a failed or rolled-back state. */
export class StackOperationError extends Error {
  override name = "StackOperationError";
}

/** The operator declined the confirmation prompt; nothing was changed. */
export class CancelledError extends Error {
  override name = "CancelledError";
}

/** The operator pressed Ctrl-C; what could be cleaned up was (exit 130). */
export class InterruptedError extends Error {
  override name = "InterruptedError";
}

/** Building or uploading a Lambda package failed. */
export class LambdaCodeError extends Error {
  override name = "LambdaCodeError";
}

/**
 * AWS SDK failures the operator fixes in their configuration (no region, no
 * credentials) become ConfigErrors with the fix in the message; others pass.
 */
export function asConfigError(error: unknown): unknown {
  const e = error as { name?: string; message?: string };
  if (e?.message === "Region is missing") {
    return new ConfigError("no AWS region: pass --region or set AWS_REGION", { cause: error });
  }
  if (e?.name === "CredentialsProviderError") {
    return new ConfigError(
      `no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (${e.message})`,
      { cause: error },
    );
  }
  const code = (error as { code?: string })?.code;
  if (e?.name === "TimeoutError" || (code && NETWORK_CODES.has(code))) {
    const call = (error as { $command?: string }).$command?.replace(/Command$/, "");
    const what = call ? `AWS ${call}` : "AWS";
    const why =
      e.name === "TimeoutError" ? "did not answer in time" : `could not be reached (${code})`;
    return new UnavailableError(
      `${what} ${why}, after the SDK's retries; check the network, or raise --request-timeout`,
      { cause: error },
    );
  }
  return error;
}

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
