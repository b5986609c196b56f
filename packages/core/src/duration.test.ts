import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["90s", 90_000],
    ["15m", 900_000],
    ["1h", 3_600_000],
    ["1h30m", 5_400_000],
    ["2d", 172_800_000],
    ["1m30s", 90_000],
    ["1.5s", 1_500],
    ["90", 90_000],
    ["0", 0],
    [" 30s ", 30_000],
    ["1d2h3m4s5ms", 93_784_005],
  ])("reads %s as %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "abc", "10x", "-5s", "1h 30m", "30m1h", "1s1s", "s", "5sec", "1e3"])(
    "refuses %j with the grammar in the message",
    (text) => {
      expect(() => parseDuration(text)).toThrow(/is not a duration \(like 500ms, 90s, 15m/);
    },
  );
});

describe("formatDuration", () => {
  it("writes the same grammar back", () => {
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(5_400_000)).toBe("1h30m");
    expect(formatDuration(172_800_000)).toBe("2d");
    for (const ms of [1, 999, 61_001, 93_784_005])
      expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
