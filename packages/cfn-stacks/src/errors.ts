/** A bad flag or argument: the user can fix the command line (exit 64). */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Missing or malformed configuration: a parameter, a file, a variable (exit 78). */
export class ConfigError extends Error {
  override name = "ConfigError";
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

/** Building or uploading a Lambda package failed. */
export class LambdaCodeError extends Error {
  override name = "LambdaCodeError";
}
