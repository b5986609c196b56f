import { createInterface } from "node:readline/promises";
import { UsageError } from "./errors.js";

/**
 * Asks on stderr and reads a line from stdin. Without a terminal there is no
 * one to ask, so the caller must pass --yes instead of being silently assumed.
 * Ctrl-C counts as "no", so the caller still cleans up what it prepared.
 */
export async function confirmOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UsageError(`${question} (no terminal to ask on: pass --yes to proceed)`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const interrupted = new AbortController();
  rl.on("SIGINT", () => interrupted.abort());
  try {
    const answer = await rl.question(`${question} [y/N] `, { signal: interrupted.signal });
    return /^y(es)?$/i.test(answer.trim());
  } catch (error) {
    if (interrupted.signal.aborted) return false;
    throw error;
  } finally {
    rl.close();
  }
}
