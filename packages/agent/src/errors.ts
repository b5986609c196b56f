/** A bad flag or argument: exit 64. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Missing or malformed configuration (flag, variable, SSM parameter, metadata): exit 78. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** restyled.io's admin API answered with an error status. */
export class RestyledApiError extends Error {
  override name = "RestyledApiError";
  constructor(
    message: string,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The local Docker daemon did not answer over mutual TLS. */
export class DaemonUnreachableError extends Error {
  override name = "DaemonUnreachableError";
}

/** The instance metadata service (IMDSv2) could not be read. */
export class MetadataError extends Error {
  override name = "MetadataError";
}
