/**
 * The one `main` wrapper: `--help`/`--version`, signals, logging set-up, and
 * the single place where an error becomes an exit code and one line on stderr.
 */
import { ExitCode, errorMessage, exitCodeFor } from "./errors.js";
import {
  createLogger,
  type Logger,
  type LogLevel,
  type LogStream,
  resolveLogLevel,
} from "./logger.js";
import { redactText } from "./redact.js";
import { createShutdown, type SignalTarget } from "./signals.js";

/**
 * A stream for `runMain`'s `stdout`/`stderr` over a tool's own line writer
 * (`output.err(line)`): each write is one line, its newline dropped.
 */
export function lineStream(writeLine: (line: string) => void): LogStream {
  return {
    write: (text: string) => {
      writeLine(text.replace(/\n$/, ""));
      return true;
    },
  };
}

/** What `run` gets. */
export interface MainContext {
  /** Arguments after node and the script. */
  argv: string[];
  env: Record<string, string | undefined>;
  /** Aborted by the first SIGINT/SIGTERM: stop gracefully. */
  signal: AbortSignal;
  /** JSON lines on `stderr` at the level from `resolveLogLevel(env)`. */
  logger: Logger;
  stdout: LogStream;
  stderr: LogStream;
}

export interface MainOptions {
  /** The command's name, the prefix of every error line (`init-certificates`). */
  name: string;
  /** Printed by `--version`. */
  version: string;
  /** The `--help` text; when given, `-h`/`--help` anywhere print it and exit 0. */
  help?: string | (() => string);
  /** Flags that print the version (default `["--version"]`), anywhere before `--`. */
  versionFlags?: string[];
  /** The work; its number (default 0) is the exit code. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a run that returns nothing exits 0
  run: (context: MainContext) => Promise<number | undefined | void>;
  /** After the first signal, force exit 130 if `run` has not ended within this. */
  watchdogMs?: number;
  /** Default `process.argv.slice(2)`. */
  argv?: string[];
  /** Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Default `process.stdout`. */
  stdout?: LogStream;
  /** Default `process.stderr`. */
  stderr?: LogStream;
  /** Default `process`. */
  signals?: SignalTarget;
  /** How a second signal (or the watchdog) ends the process; default `process.exit`. */
  exit?: (code: number) => void;
}

/**
 * Runs a CLI and resolves to its exit code (the caller sets
 * `process.exitCode`). A thrown error prints `name: message` on stderr (the
 * stack and causes too at `LOG_LEVEL=debug`) and exits with `exitCodeFor`;
 * work stopped by a signal exits 130 unless `run` returns its own code.
 */
export async function runMain(options: MainOptions): Promise<number> {
  const argv = options.argv ?? process.argv.slice(2);
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const say = (line: string) => stderr.write(`${options.name}: ${redactText(line)}\n`);

  // Before "--" only: what follows it is not ours to read.
  const ours = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
  if (options.help !== undefined && (ours.includes("--help") || ours.includes("-h"))) {
    stdout.write(typeof options.help === "function" ? options.help() : options.help);
    return ExitCode.ok;
  }
  const versionFlags = options.versionFlags ?? ["--version"];
  if (ours.some((arg) => versionFlags.includes(arg))) {
    stdout.write(`${options.version}\n`);
    return ExitCode.ok;
  }

  let level: LogLevel = "info";
  try {
    level = resolveLogLevel(env);
  } catch (error) {
    say(errorMessage(error));
    return exitCodeFor(error);
  }
  const logger = createLogger({ name: options.name, level, stream: stderr });
  const shutdown = createShutdown({
    target: options.signals,
    exit: options.exit,
    watchdogMs: options.watchdogMs,
    // A person pressing Ctrl-C wants to hear at once that it worked.
    notify: (message) => say(message),
  });
  try {
    const code = await options.run({ argv, env, signal: shutdown.signal, logger, stdout, stderr });
    return code ?? ExitCode.ok;
  } catch (error) {
    const interrupted = shutdown.signal.aborted && isAbort(error);
    say(interrupted ? "stopped" : errorMessage(error));
    if (level === "debug") {
      for (const line of describeChain(error)) stderr.write(`${redactText(line)}\n`);
    }
    return interrupted ? ExitCode.interrupted : exitCodeFor(error);
  } finally {
    shutdown.dispose();
  }
}

function isAbort(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === "AbortError" || error.name === "InterruptedError")
  );
}

/** The stack of an error and of each cause, for debug output. */
function describeChain(error: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    const text = current instanceof Error ? (current.stack ?? String(current)) : String(current);
    lines.push(depth === 0 ? text : `caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
}
