import { createLogger, type Logger } from "@restyled/core/logger";

/** A debug-level logger that keeps its JSON lines, for asserting on what a run logged. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    name: "test",
    level: "debug",
    stream: { write: (line: string) => lines.push(line) },
  });
  return { logger, lines };
}

/** Collects every log line of a run, and whatever else reaches stdout or stderr meanwhile. */
export function captureOutput() {
  const lines: string[] = [];
  const stray: string[] = [];
  const originals = { out: process.stdout.write, err: process.stderr.write };
  const record =
    (sink: string[]) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      sink.push(String(chunk));
      const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
      callback?.();
      return true;
    };
  process.stdout.write = record(stray) as typeof process.stdout.write;
  process.stderr.write = record(stray) as typeof process.stderr.write;
  return {
    /** Pass to the code under test as its log writer. */
    writeLog: (line: string) => lines.push(line),
    lines,
    stray,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    all: () => [...lines, ...stray].join("\n"),
    restore() {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}
