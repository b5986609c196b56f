import { parseArgs } from "node:util";
import { UsageError } from "./errors.js";

export const EXIT = { ok: 0, failed: 1, usage: 64, config: 78 } as const;

/** Parses flags, turning node's parse errors into a UsageError that names the flag. */
export function parseFlags<T extends NonNullable<Parameters<typeof parseArgs>[0]>["options"]>(
  argv: string[],
  options: T,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see --help)`);
  }
}
