/**
 * Shutdown on signals, the same in every tool: the first SIGINT/SIGTERM
 * aborts an AbortSignal (the work stops gracefully), a second one forces the
 * exit (130). An optional unref'd watchdog forces it when the graceful path
 * hangs.
 */
import type { Logger } from "./logger.js";

export type ShutdownSignal = "SIGINT" | "SIGTERM";

/** Where signals arrive: `process`, or an EventEmitter in tests. */
export interface SignalTarget {
  on(event: ShutdownSignal, listener: () => void): unknown;
  off(event: ShutdownSignal, listener: () => void): unknown;
}

export interface ShutdownOptions {
  logger?: Logger;
  /** After the first signal, force the exit when the work has not ended within this. */
  watchdogMs?: number;
  /** What to tell the operator at each signal; default: a warn line through `logger`. */
  notify?: (message: string, signal: ShutdownSignal, count: number) => void;
  /** Default `process`. */
  target?: SignalTarget;
  /** Default `process.exit`. */
  exit?: (code: number) => void;
}

export interface Shutdown {
  /** Aborted by the first signal; `signal.reason` is an `AbortError` naming it. */
  readonly signal: AbortSignal;
  /** Removes the handlers and the watchdog: call it in a `finally`. */
  dispose(): void;
}

/** Installs the handlers. See the module comment for the policy. */
export function createShutdown(options: ShutdownOptions = {}): Shutdown {
  const target = options.target ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const notify =
    options.notify ??
    ((message: string, signal: ShutdownSignal) => options.logger?.warn(message, { signal }));
  const controller = new AbortController();
  let count = 0;
  let watchdog: NodeJS.Timeout | undefined;

  const handle = (signal: ShutdownSignal) => {
    count += 1;
    if (count === 1) {
      notify(`received ${signal}; stopping (send it again to force)`, signal, count);
      controller.abort(abortError(`stopped by ${signal}`));
      if (options.watchdogMs !== undefined) {
        watchdog = setTimeout(() => {
          notify(`did not stop within ${options.watchdogMs} ms; forcing exit`, signal, count);
          exit(130);
        }, options.watchdogMs);
        // The watchdog must not be what keeps a finished process alive.
        watchdog.unref();
      }
      return;
    }
    notify(`received ${signal} again; forcing exit`, signal, count);
    exit(130);
  };
  const onInt = () => handle("SIGINT");
  const onTerm = () => handle("SIGTERM");
  target.on("SIGINT", onInt);
  target.on("SIGTERM", onTerm);
  return {
    signal: controller.signal,
    dispose() {
      target.off("SIGINT", onInt);
      target.off("SIGTERM", onTerm);
      clearTimeout(watchdog);
    },
  };
}

/** An `AbortError` as `AbortSignal.abort()` makes one, with our message. */
export function abortError(message: string): Error {
  const error = new Error(message);
  error.name = "AbortError";
  return error;
}

/** Throws the signal's reason when it has been aborted (a check between steps). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}
