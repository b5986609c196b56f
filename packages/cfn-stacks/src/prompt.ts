import { createInterface } from "node:readline/promises";
import { UsageError } from "./errors.js";

/**
 * Asks on stderr and reads a line from stdin. Without a terminal there is no
 * one to ask, so the caller must pass --yes instead of being silently assumed.
 */
export async function confirmOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UsageError(`${question} (no terminal to ask on: pass --yes to proceed)`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
