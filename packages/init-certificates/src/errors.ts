import { ExitCode, RestyledError } from "@restyled/core/errors";

/** A bad flag or argument: the user can fix the command line (exit 64). */
export { UsageError } from "@restyled/core/errors";

/** An input file (an existing CA and its key) is missing, unreadable or does not fit (exit 66). */
export class InputError extends RestyledError {
  override name = "InputError";
  override readonly exitCode: number = ExitCode.noInput;
}

/** The output folder cannot be created or written, or would be overwritten without --force (exit 73). */
export class OutputError extends RestyledError {
  override name = "OutputError";
  override readonly exitCode: number = ExitCode.cantCreate;
}

/** `verify` found the certificates broken, expired or expiring too soon (exit 1). */
export class VerificationError extends RestyledError {
  override name = "VerificationError";
}
