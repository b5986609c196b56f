import { describe, expect, it } from "vitest";
import { createLogger, parseLogLevel } from "./logger.js";
import { redactSecrets, redactUrl } from "./redact.js";

describe("createLogger", () => {
  it("writes JSON lines with time, level, msg and fields, above the threshold only", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "warn", write: (line) => lines.push(line) });
    logger.info("hidden");
    logger.warn("shown", { queue: "q", depth: 3 });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: "warn", msg: "shown", queue: "q", depth: 3 });
    expect(Number.isNaN(Date.parse(entry.time))).toBe(false);
  });

  it.each([
    ["debug", "debug"],
    [" WARN ", "warn"],
    ["verbose", "info"],
    [undefined, "info"],
  ])("reads LOG_LEVEL %j as %s", (value, level) => {
    expect(parseLogLevel(value)).toBe(level);
  });
});

describe("redaction", () => {
  it("hides both halves of URL credentials", () => {
    expect(redactUrl("rediss://h:p4ss@redis.example:6380/0")).toBe(
      "rediss://***:***@redis.example:6380/0",
    );
    expect(redactUrl("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
    expect(redactUrl("::not a url p4ss")).toBe("(unparseable URL)");
  });

  it("replaces every occurrence of each secret", () => {
    expect(redactSecrets("a t0ken b t0ken", ["t0ken", undefined])).toBe("a *** b ***");
  });
});
