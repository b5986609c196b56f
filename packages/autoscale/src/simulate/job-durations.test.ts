import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { parseJobDurations, sampleJobDuration } from "./job-durations.js";
import { createRandom } from "./random.js";

describe("parseJobDurations", () => {
  it.each([
    ["fixed:60s", { kind: "fixed", ms: 60_000 }],
    ["uniform:20s:2m", { kind: "uniform", minMs: 20_000, maxMs: 120_000 }],
    ["lognormal:45s:3m", { kind: "lognormal", medianMs: 45_000, p95Ms: 180_000 }],
  ])("reads %s", (spec, parsed) => {
    expect(parseJobDurations(spec)).toEqual(parsed);
  });

  it.each([
    ["gamma:1m", /is not fixed:D, uniform:MIN:MAX or lognormal:MEDIAN:P95/],
    ["fixed", /should look like fixed:60s/],
    ["fixed:soon", /--job-duration: "soon" is not a duration/],
    ["uniform:2m:20s", /minimum above its maximum/],
    ["lognormal:3m:45s", /p95 above its median/],
    ["fixed:0s", /durations above 0/],
  ])("rejects %s", (spec, message) => {
    expect(() => parseJobDurations(spec)).toThrowError(UsageError);
    expect(() => parseJobDurations(spec)).toThrowError(message);
  });
});

describe("sampleJobDuration", () => {
  it("draws a lognormal whose median and p95 match the spec", () => {
    const random = createRandom(42);
    const durations = parseJobDurations("lognormal:45s:3m");
    const samples = Array.from({ length: 20_000 }, () => sampleJobDuration(durations, random)).sort(
      (a, b) => a - b,
    );
    expect(samples[10_000]! / 45_000).toBeCloseTo(1, 1);
    expect(samples[19_000]! / 180_000).toBeCloseTo(1, 1);
  });

  it("keeps uniform samples inside their range", () => {
    const random = createRandom(1);
    const durations = parseJobDurations("uniform:20s:2m");
    for (let i = 0; i < 1_000; i += 1) {
      const ms = sampleJobDuration(durations, random);
      expect(ms).toBeGreaterThanOrEqual(20_000);
      expect(ms).toBeLessThanOrEqual(120_000);
    }
  });
});
