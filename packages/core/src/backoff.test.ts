import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
} from "./backoff.js";

describe("backoffDelay", () => {
  const fixed = (random: number) => ({ baseMs: 100, capMs: 1000, random: () => random });

  it("doubles per attempt, with half of it jittered", () => {
    expect([1, 2, 3].map((attempt) => backoffDelay(attempt, fixed(0)))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((attempt) => backoffDelay(attempt, fixed(0.999)))).toEqual([
      100, 200, 400,
    ]);
  });

  it("stops growing at the cap", () => {
    expect(backoffDelay(30, fixed(0.999))).toBe(1000);
    expect(backoffDelay(30, fixed(0))).toBe(500);
  });

  it("spreads retries out with the default random", () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(4)));
    expect(delays.size).toBeGreaterThan(1);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    const now = Date.parse("2026-05-01T12:00:00Z");
    expect(parseRetryAfter("Fri, 01 May 2026 12:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Fri, 01 May 2026 11:00:00 GMT", now)).toBe(0);
  });

  it("ignores a missing or unreadable header", () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter("-1")).toBeUndefined();
  });
});

describe("what is retried", () => {
  it("retries 429 and 5xx only", () => {
    expect([429, 500, 502, 503].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 413].some(isRetryableStatus)).toBe(false);
  });

  it("retries connection failures but not certificate failures", () => {
    expect(isRetryableNetworkError(Object.assign(new Error(), { code: "ECONNRESET" }))).toBe(true);
    expect(isRetryableNetworkError(Object.assign(new Error(), { code: "ECONNREFUSED" }))).toBe(
      true,
    );
    expect(
      isRetryableNetworkError(Object.assign(new Error(), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" })),
    ).toBe(false);
    expect(
      isRetryableNetworkError(Object.assign(new Error(), { code: "ERR_TLS_CERT_ALTNAME_INVALID" })),
    ).toBe(false);
  });
});

describe("DEFAULT_BACKOFF", () => {
  it("waits a quarter to half a second after the first failure, never more than 20 s", () => {
    expect(backoffDelay(1, { ...DEFAULT_BACKOFF, random: () => 0 })).toBe(125);
    expect(backoffDelay(1, { ...DEFAULT_BACKOFF, random: () => 0.999 })).toBe(250);
    expect(backoffDelay(60, { ...DEFAULT_BACKOFF, random: () => 0 })).toBe(10_000);
    expect(backoffDelay(60, { ...DEFAULT_BACKOFF, random: () => 0.999 })).toBe(19_990);
  });
});
