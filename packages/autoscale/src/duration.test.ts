import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";
import { ConfigError } from "./errors.js";

describe("parseDuration", () => {
  it.each([
    ["30s", 30_000],
    ["10m", 600_000],
    ["1h30m", 5_400_000],
    ["250ms", 250],
    ["1.5m", 90_000],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text, "--interval")).toBe(ms);
  });

  it.each(["", "30", "10 minutes", "m10", "5d", "-1s", "10m junk"])(
    "rejects %j naming the flag",
    (text) => {
      expect(() => parseDuration(text, "--interval")).toThrowError(ConfigError);
      expect(() => parseDuration(text, "--interval")).toThrowError(
        /^--interval: ".*" is not a duration/,
      );
    },
  );
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [450, "450ms"],
    [90_000, "1m30s"],
    [3_600_000, "1h"],
  ])("formats %d as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
