/** A bad flag or argument: the user can fix the command line (exit 64). */
export class UsageError extends Error {
  override name = "UsageError";
}

/** An input file (an existing CA) is missing or unreadable (exit 66). */
export class InputError extends Error {
  override name = "InputError";
}

/** The output folder cannot be written, or would be overwritten without --force (exit 73). */
export class OutputError extends Error {
  override name = "OutputError";
}

/** `verify` found the certificates broken, expired or expiring too soon (exit 1). */
export class VerificationError extends Error {
  override name = "VerificationError";
}
