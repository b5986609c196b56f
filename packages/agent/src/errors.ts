/** The agent's own errors; the base classes and exit codes are `@restyled/core/errors`. */
import { ConfigError, ExitCode, RestyledError, UnavailableError } from "@restyled/core/errors";

export { ConfigError, UsageError } from "@restyled/core/errors";

/** The local Docker daemon did not answer over mutual TLS. */
export class DaemonUnreachableError extends UnavailableError {
  override name = "DaemonUnreachableError";
}

/** The instance metadata service (IMDSv2) could not be read: pass the value as a flag. */
export class MetadataError extends ConfigError {
  override name = "MetadataError";
}

/** The Docker daemon answered a call with an error status; `message` carries the daemon's own. */
export class DockerApiError extends RestyledError {
  override name = "DockerApiError";
  readonly status: number;

  constructor(message: string, options: { status: number; cause?: unknown }) {
    // A daemon error (5xx) may pass; a refused request (4xx) is a bug here.
    super(message, {
      cause: options.cause,
      exitCode: options.status >= 500 ? ExitCode.unavailable : ExitCode.failure,
    });
    this.status = options.status;
  }
}
