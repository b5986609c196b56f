import { describe, expect, it } from "vitest";
import { retry } from "./retry.js";

describe("retry", () => {
  it("retries until the operation succeeds, doubling the delay", async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retry(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error(`fail ${calls}`);
        return "ok";
      },
      { attempts: 5, delayMs: 10, onRetry: (_e, _a, delay) => delays.push(delay) },
    );
    expect(result).toBe("ok");
    expect(calls).toBe(3);
    expect(delays[0]).toBeGreaterThanOrEqual(9);
    expect(delays[0]).toBeLessThanOrEqual(11);
    expect(delays[1]).toBeGreaterThanOrEqual(18);
    expect(delays[1]).toBeLessThanOrEqual(22);
  });

  it("throws the last error once the attempts are used up", async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls += 1;
          throw new Error(`fail ${calls}`);
        },
        { attempts: 3, delayMs: 1 },
      ),
    ).rejects.toThrow("fail 3");
  });

  it("does not retry what is not retryable", async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls += 1;
          throw new Error("bad request");
        },
        { attempts: 5, delayMs: 1, retryable: () => false },
      ),
    ).rejects.toThrow("bad request");
    expect(calls).toBe(1);
  });

  it("stops waiting as soon as its signal aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    await expect(
      retry(
        async () => {
          throw new Error("down");
        },
        { attempts: 10, delayMs: 600_000, signal: controller.signal },
      ),
    ).rejects.toThrow("down");
    // Far inside the 10-minute delay: the abort ended the wait.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("starts no attempt past its deadline", async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls += 1;
          throw new Error("down");
        },
        { attempts: Number.POSITIVE_INFINITY, delayMs: 50, deadline: Date.now() + 120 },
      ),
    ).rejects.toThrow("down");
    expect(calls).toBeLessThanOrEqual(3);
  });
});
