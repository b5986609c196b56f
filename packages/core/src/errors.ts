/**
 * One exit-code table for every tool (sysexits.h where it has a code) and the
 * base error classes. Domain errors subclass these in their tool; errors become
 * exit codes in one place, `runMain` in `@restyled/core/cli`.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 64,
  dataErr: 65,
  noInput: 66,
  unavailable: 69,
  software: 70,
  cantCreate: 73,
  ioErr: 74,
  tempFail: 75,
  config: 78,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The base of every error a tool raises on purpose; `exitCode` says how the process ends. */
export class RestyledError extends Error {
  override name = "RestyledError";
  readonly exitCode: number = ExitCode.failure;

  constructor(message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.exitCode !== undefined) this.exitCode = options.exitCode;
  }
}

/** A bad flag or argument: the user fixes the command line (exit 64). */
export class UsageError extends RestyledError {
  override name = "UsageError";
  override readonly exitCode: number = ExitCode.usage;
}

/** Missing or malformed configuration: a variable, an SSM parameter, a credential (exit 78). */
export class ConfigError extends RestyledError {
  override name = "ConfigError";
  override readonly exitCode: number = ExitCode.config;
}

/** A dependency could not be reached, timed out or throttled us; trying later may work (exit 69). */
export class UnavailableError extends RestyledError {
  override name = "UnavailableError";
  override readonly exitCode: number = ExitCode.unavailable;
}

/** The operator stopped the tool (SIGINT/SIGTERM) before it finished (exit 130). */
export class InterruptedError extends RestyledError {
  override name = "InterruptedError";
  override readonly exitCode: number = ExitCode.interrupted;
}

/**
 * The exit code for anything thrown: a `RestyledError`'s own code, 130 for an
 * `AbortError` (our shutdown signal aborted the work), else 1.
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof RestyledError) return error.exitCode;
  if (error instanceof Error && error.name === "AbortError") return ExitCode.interrupted;
  return ExitCode.failure;
}

/** Whether the user can fix this error (a usage or configuration error): no stack needed. */
export function isUserError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof ConfigError;
}

/** The message of anything thrown, for a log field or a one-line report. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
