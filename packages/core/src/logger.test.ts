import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors.js";
import { createLogger, resolveLogLevel } from "./logger.js";
import { collect } from "./test-streams.js";

describe("createLogger", () => {
  it("writes one JSON line with time, level, name, msg and fields", () => {
    const stream = collect();
    createLogger({ name: "tool", level: "info", stream }).info("hello", { count: 2 });
    const [line] = stream.lines();
    expect(line).toMatchObject({ level: "info", name: "tool", msg: "hello", count: 2 });
    expect(Date.parse(String(line?.time))).not.toBeNaN();
    expect(Object.keys(line!).slice(0, 4)).toEqual(["time", "level", "name", "msg"]);
  });

  it("drops lines below its level", () => {
    const stream = collect();
    const logger = createLogger({ name: "t", level: "warn", stream });
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(stream.lines().map((line) => line.msg)).toEqual(["w", "e"]);
  });

  it("adds child fields to every line and keeps its own fields from being overwritten", () => {
    const stream = collect();
    const logger = createLogger({ name: "agent", level: "info", stream, fields: { env: "prod" } });
    logger.child({ instanceId: "i-1" }).info("up", { name: "machine-1", level: "forged" });
    expect(stream.lines()[0]).toMatchObject({
      name: "agent",
      level: "info",
      env: "prod",
      instanceId: "i-1",
      nameField: "machine-1",
      levelField: "forged",
    });
  });

  it("serialises errors with their cause, the stack only at debug", () => {
    const stream = collect();
    const error = new Error("outer", { cause: new Error("inner") });
    createLogger({ name: "t", level: "info", stream }).error("failed", { error });
    const line = stream.lines()[0] as { error: Record<string, unknown> };
    expect(line.error).toEqual({
      name: "Error",
      message: "outer",
      cause: { name: "Error", message: "inner" },
    });
    const debug = collect();
    createLogger({ name: "t", level: "debug", stream: debug }).error("failed", { error });
    expect((debug.lines()[0] as { error: { stack: string } }).error.stack).toContain("outer");
  });

  it("never writes a secret, by key or by value", () => {
    const stream = collect();
    createLogger({ name: "t", level: "debug", stream }).info("using redis://u:pa55word@h:1", {
      restyledToken: "tok-123456",
      url: "https://x:hunter2@example.com",
      pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
      header: "Authorization: token abc123456789",
    });
    for (const secret of ["pa55word", "tok-123456", "hunter2", "AAAA", "abc123456789"]) {
      expect(stream.text).not.toContain(secret);
    }
  });
});

describe("resolveLogLevel", () => {
  it("defaults to info and reads LOG_LEVEL case-insensitively", () => {
    expect(resolveLogLevel({})).toBe("info");
    expect(resolveLogLevel({ LOG_LEVEL: "" })).toBe("info");
    expect(resolveLogLevel({ LOG_LEVEL: "DEBUG" })).toBe("debug");
    expect(resolveLogLevel({ LOG_LEVEL: " Warn " })).toBe("warn");
  });

  it("fails naming LOG_LEVEL for anything else", () => {
    expect(() => resolveLogLevel({ LOG_LEVEL: "bogus" })).toThrow(ConfigError);
    expect(() => resolveLogLevel({ LOG_LEVEL: "bogus" })).toThrow(
      'LOG_LEVEL: "bogus" is not a log level (use debug, info, warn or error)',
    );
    expect(() => resolveLogLevel({ LOG_LEVEL: "trace" })).toThrow(/LOG_LEVEL/);
  });

  it("prefers AWS_LAMBDA_LOG_LEVEL inside Lambda, mapping TRACE and FATAL", () => {
    const lambda = { AWS_LAMBDA_FUNCTION_NAME: "fn", LOG_LEVEL: "error" };
    expect(resolveLogLevel({ ...lambda, AWS_LAMBDA_LOG_LEVEL: "DEBUG" })).toBe("debug");
    expect(resolveLogLevel({ ...lambda, AWS_LAMBDA_LOG_LEVEL: "TRACE" })).toBe("debug");
    expect(resolveLogLevel({ ...lambda, AWS_LAMBDA_LOG_LEVEL: "FATAL" })).toBe("error");
    expect(resolveLogLevel(lambda)).toBe("error");
    expect(() => resolveLogLevel({ ...lambda, AWS_LAMBDA_LOG_LEVEL: "loud" })).toThrow(
      /^AWS_LAMBDA_LOG_LEVEL: "loud"/,
    );
  });

  it("ignores AWS_LAMBDA_LOG_LEVEL outside Lambda", () => {
    expect(resolveLogLevel({ AWS_LAMBDA_LOG_LEVEL: "DEBUG", LOG_LEVEL: "warn" })).toBe("warn");
  });
});
