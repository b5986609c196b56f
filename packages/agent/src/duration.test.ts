import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it.each([
    ["15m", 900_000],
    ["30s", 30_000],
    ["250ms", 250],
    ["1h30m", 5_400_000],
    ["2d", 172_800_000],
    ["45", 45_000],
    ["0.5s", 500],
    ["0", 0],
  ])("reads %s as %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "m", "15 minutes", "-5s", "1x", "5s junk", "1h-30m"])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it("picks a readable unit", () => {
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(1500)).toBe("1.5s");
    expect(formatDuration(900_000)).toBe("15m");
    expect(formatDuration(5_400_000)).toBe("1.5h");
  });
});
