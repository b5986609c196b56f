import { describe, expect, it } from "vitest";
import { parseDuration, parseTimeAgo } from "./duration.js";
import { UsageError } from "./errors.js";

describe("durations", () => {
  it("reads durations in ms, s, m, h and d", () => {
    expect(parseDuration("250ms", "--x")).toBe(250);
    expect(parseDuration("90s", "--x")).toBe(90_000);
    expect(parseDuration("15m", "--x")).toBe(900_000);
    expect(parseDuration("1h", "--x")).toBe(3_600_000);
    expect(parseDuration("2d", "--x")).toBe(172_800_000);
  });

  it("reads a time as a duration ago or an ISO time", () => {
    const now = Date.parse("2026-05-01T12:00:00Z");
    expect(parseTimeAgo("1h", "--since", now)).toBe(Date.parse("2026-05-01T11:00:00Z"));
    expect(parseTimeAgo("2026-04-30T00:00:00Z", "--since", now)).toBe(
      Date.parse("2026-04-30T00:00:00Z"),
    );
  });

  it.each(["1 hour", "h", "-1h", "yesterday", "2026-13-45T00:00:00Z"])(
    "refuses %j naming the flag",
    (value) => {
      expect(() => parseTimeAgo(value, "--since")).toThrow(UsageError);
      expect(() => parseTimeAgo(value, "--since")).toThrow(/^--since must be/);
    },
  );
});
