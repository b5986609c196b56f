import { setTimeout as sleep } from "node:timers/promises";

export interface WaitForOptions {
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Called when the wait fails; its text is added to the error. */
  diagnose?: () => Promise<string>;
  /** Stop early: the thing being waited for can no longer come. */
  gaveUp?: () => boolean;
}

/** Polls `probe` until it resolves truthy, or fails with what it waited for. */
export async function waitFor(
  probe: () => Promise<boolean>,
  options: WaitForOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline && !options.gaveUp?.()) {
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(options.intervalMs ?? 100);
  }
  const details = options.diagnose ? `\n${await options.diagnose()}` : "";
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
  throw new Error(`timed out waiting for ${options.what}${cause}${details}`);
}
