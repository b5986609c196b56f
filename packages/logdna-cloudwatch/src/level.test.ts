import { describe, expect, it } from "vitest";
import { leadingLevel, normalizeLevel, parseLambdaLine } from "./level.js";

describe("normalizeLevel", () => {
  it("maps level names in any case to LogDNA's", () => {
    expect(normalizeLevel("warning")).toBe("WARN");
    expect(normalizeLevel("Error")).toBe("ERROR");
    expect(normalizeLevel(" info ")).toBe("INFO");
    expect(normalizeLevel("CRITICAL")).toBe("FATAL");
  });

  it("maps pino's numeric levels", () => {
    expect(normalizeLevel(10)).toBe("TRACE");
    expect(normalizeLevel(30)).toBe("INFO");
    expect(normalizeLevel(50)).toBe("ERROR");
    expect(normalizeLevel(60)).toBe("FATAL");
  });

  it("returns undefined for anything else", () => {
    expect(normalizeLevel("verbose-ish")).toBeUndefined();
    expect(normalizeLevel(5)).toBeUndefined();
    expect(normalizeLevel({ level: "info" })).toBeUndefined();
    expect(normalizeLevel(undefined)).toBeUndefined();
  });
});

describe("leadingLevel", () => {
  it("reads an upper-case leading level word", () => {
    expect(leadingLevel("ERROR something broke")).toBe("ERROR");
    expect(leadingLevel("WARN: careful")).toBe("WARN");
    expect(leadingLevel("WARNING low disk")).toBe("WARN");
    expect(leadingLevel("DEBUG")).toBe("DEBUG");
  });

  it("reads a bracketed level in any case", () => {
    expect(leadingLevel("[error] First test message")).toBe("ERROR");
    expect(leadingLevel("[Info] started")).toBe("INFO");
  });

  it("does not take an ordinary word for a level", () => {
    expect(leadingLevel("Error handling is explained in the README")).toBeUndefined();
    expect(leadingLevel("INFORMATION follows")).toBeUndefined();
    expect(leadingLevel("[job 42] started")).toBeUndefined();
    expect(leadingLevel("started INFO")).toBeUndefined();
  });
});

describe("parseLambdaLine", () => {
  it("splits the Node.js runtime's prefix", () => {
    expect(parseLambdaLine("2026-05-01T12:00:00.010Z\tabc-123\tERROR\tInvoke Error {}")).toEqual({
      requestId: "abc-123",
      level: "ERROR",
      body: "Invoke Error {}",
    });
  });

  it("splits the Python runtime's prefix", () => {
    expect(parseLambdaLine("[WARNING]\t2026-05-01T12:00:00.030Z\tabc-123\tstale")).toEqual({
      requestId: "abc-123",
      level: "WARN",
      body: "stale",
    });
  });

  it("leaves other lines alone", () => {
    expect(parseLambdaLine("START RequestId: abc Version: $LATEST")).toBeUndefined();
    expect(parseLambdaLine("2026-05-01 12:00:00 INFO not lambda")).toBeUndefined();
  });
});
