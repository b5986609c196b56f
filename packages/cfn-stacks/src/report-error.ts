import {
  asConfigError,
  CancelledError,
  ConfigError,
  InterruptedError,
  UnavailableError,
  UsageError,
} from "./errors.js";

/** Prints one line for an error and returns its exit code: the one mapping. */
export function reportError(
  error: unknown,
  options: { printError: (line: string) => void; debug: boolean },
): number {
  const mapped = asConfigError(error);
  const e = mapped instanceof Error ? mapped : new Error(String(mapped));
  const code =
    e instanceof UsageError
      ? 64
      : e instanceof UnavailableError
        ? 69
        : e instanceof ConfigError
          ? 78
          : e instanceof InterruptedError
            ? 130
            : 1;
  const prefix = e instanceof CancelledError || e instanceof InterruptedError ? "" : "error: ";
  options.printError(`${prefix}${e.message}`);
  if (options.debug && e.stack) options.printError(e.stack);
  return code;
}
