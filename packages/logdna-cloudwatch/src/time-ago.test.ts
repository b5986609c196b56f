import { UsageError } from "@restyled/core/errors";
import { describe, expect, it } from "vitest";
import { parseTimeAgo } from "./time-ago.js";

describe("parseTimeAgo", () => {
  it("reads a time as a duration ago or an ISO time", () => {
    const now = Date.parse("2026-05-01T12:00:00Z");
    expect(parseTimeAgo("1h", "--since", now)).toBe(Date.parse("2026-05-01T11:00:00Z"));
    expect(parseTimeAgo("1h30m", "--since", now)).toBe(Date.parse("2026-05-01T10:30:00Z"));
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
