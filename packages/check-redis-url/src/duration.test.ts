import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it("reads milliseconds, seconds and minutes", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("5s")).toBe(5_000);
    expect(parseDuration("1.5s")).toBe(1_500);
    expect(parseDuration("2m")).toBe(120_000);
  });

  it("refuses a bare number or an unknown unit", () => {
    expect(parseDuration("5")).toBeUndefined();
    expect(parseDuration("5h")).toBeUndefined();
    expect(parseDuration("-1s")).toBeUndefined();
    expect(parseDuration("")).toBeUndefined();
  });
});
