/** The agent's own errors; the base classes and exit codes are `@restyled/core/errors`. */
import { ConfigError, UnavailableError } from "@restyled/core/errors";

export { ConfigError, UsageError } from "@restyled/core/errors";

/** The local Docker daemon did not answer over mutual TLS. */
export class DaemonUnreachableError extends UnavailableError {
  override name = "DaemonUnreachableError";
}

/** The instance metadata service (IMDSv2) could not be read: pass the value as a flag. */
export class MetadataError extends ConfigError {
  override name = "MetadataError";
}
