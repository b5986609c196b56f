import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors.js";
import { createLogger, parseLogLevel } from "./logger.js";

function capture(level?: "debug" | "info" | "warn" | "error") {
  const lines: string[] = [];
  const logger = createLogger({ level, write: (line) => lines.push(line) });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line)) };
}

describe("createLogger", () => {
  it("writes one JSON object per line with time, level, msg and fields", () => {
    const { logger, records } = capture();
    logger.info("hello", { app: "restyled-io" });
    const [record] = records();
    expect(record).toMatchObject({ level: "info", msg: "hello", app: "restyled-io" });
    expect(Number.isNaN(Date.parse(record.time))).toBe(false);
  });

  it("drops lines below its level", () => {
    const { logger, records } = capture("warn");
    logger.info("quiet");
    logger.warn("loud");
    expect(records().map((r) => r.msg)).toEqual(["loud"]);
  });

  it("masks protected values in messages, fields and errors, and their causes", () => {
    const { logger, lines } = capture("debug");
    logger.protect("hunter2");
    logger.error("failed with hunter2", {
      url: "redis://:hunter2@host:1",
      nested: { list: ["hunter2"] },
      error: new Error("boom hunter2", { cause: new Error("because hunter2") }),
    });
    expect(lines.join("\n")).not.toContain("hunter2");
    expect(lines[0]).toContain("failed with ***");
    expect(lines[0]).toContain("because ***");
  });

  it("adds stacks to errors only at debug level", () => {
    const info = capture("info");
    info.logger.error("x", { error: new Error("e") });
    expect(info.records()[0].error).toEqual({ name: "Error", message: "e" });
    const debug = capture("debug");
    debug.logger.error("x", { error: new Error("e") });
    expect(debug.records()[0].error.stack).toContain("logger.test.ts");
  });
});

describe("parseLogLevel", () => {
  it("defaults to info and accepts any case", () => {
    expect(parseLogLevel(undefined)).toBe("info");
    expect(parseLogLevel("DEBUG")).toBe("debug");
  });

  it("names LOG_LEVEL when the value is unknown", () => {
    expect(() => parseLogLevel("verbose")).toThrow(ConfigError);
    expect(() => parseLogLevel("verbose")).toThrow(/LOG_LEVEL must be one of/);
  });
});
