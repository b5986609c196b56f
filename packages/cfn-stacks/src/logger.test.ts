import { describe, expect, it } from "vitest";
import { createLogger, logLevelFromEnv } from "./logger.js";

describe("createLogger", () => {
  it("writes JSON lines with time, level, msg and fields, at or above its level", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", write: (line) => lines.push(line) });
    logger.debug("hidden");
    logger.info("uploaded Lambda code", { key: "lambda/x.zip" });
    logger.error("failed");
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: expect.any(String), level: "info", msg: "uploaded Lambda code", key: "lambda/x.zip" },
      { time: expect.any(String), level: "error", msg: "failed" },
    ]);
  });

  it("reads LOG_LEVEL and falls back to info", () => {
    expect(logLevelFromEnv({ LOG_LEVEL: "DEBUG" })).toBe("debug");
    expect(logLevelFromEnv({ LOG_LEVEL: "chatty" })).toBe("info");
    expect(logLevelFromEnv({})).toBe("info");
  });
});
