import { setTimeout as sleep } from "node:timers/promises";

export interface RetryOptions {
  /** Total attempts, including the first. */
  attempts: number;
  /** First delay; doubles after each failure, capped at `maxDelayMs`. */
  delayMs: number;
  maxDelayMs?: number;
  /** Stop retrying (and waiting) once this aborts; the last error is thrown. */
  signal?: AbortSignal;
  /** No attempt starts after this time (epoch ms). */
  deadline?: number;
  /** Whether an error is worth another attempt; default: always. */
  retryable?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Runs `operation` until it succeeds or the attempts, the deadline or the signal run out. */
export async function retry<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const maxDelay = options.maxDelayMs ?? 30_000;
  let delay = options.delayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const outOfTime =
        options.deadline !== undefined &&
        Date.now() + Math.min(delay, maxDelay) >= options.deadline;
      if (
        attempt >= options.attempts ||
        options.signal?.aborted ||
        outOfTime ||
        (options.retryable && !options.retryable(error))
      ) {
        throw error;
      }
      const wait = jitter(Math.min(delay, maxDelay));
      options.onRetry?.(error, attempt, wait);
      try {
        await sleep(wait, undefined, { signal: options.signal });
      } catch {
        throw error;
      }
      delay *= 2;
    }
  }
}

// Full jitter would make tests with tiny delays flaky; a 20% spread is enough
// to keep a fleet of agents from retrying in lock-step.
function jitter(ms: number): number {
  return Math.round(ms * (0.9 + Math.random() * 0.2));
}
