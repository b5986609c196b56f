import { describe, expect, it } from "vitest";
import { createLogger, redact } from "./logger.js";

function collect(level: "debug" | "info" | "warn" | "error" = "info") {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level, write: (line) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe("createLogger", () => {
  it("writes one JSON object per line with time, level, message and fields", () => {
    const { log, lines } = collect();
    log.child({ instanceId: "i-0123456789abcdef0" }).info("machine registered", { machineId: 4 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      msg: "machine registered",
      instanceId: "i-0123456789abcdef0",
      machineId: 4,
    });
    expect(new Date(String(lines[0]?.time)).getTime()).not.toBeNaN();
  });

  it("drops lines below its level", () => {
    const { log, lines } = collect("warn");
    log.debug("a");
    log.info("b");
    log.warn("c");
    log.error("d");
    expect(lines.map((l) => l.msg)).toEqual(["c", "d"]);
  });

  it("never writes tokens, keys or URL passwords", () => {
    const { log, lines } = collect();
    log.info("calling", {
      token: "s3cr3t-token-value",
      privateKey: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
      url: "rediss://user:hunter2@redis.example:6379",
      headers: { Authorization: "token abcdefgh12345" },
      note: "sent header token abcdefgh12345 to restyled.io",
    });
    const text = JSON.stringify(lines);
    for (const secret of ["s3cr3t-token-value", "AAAA", "hunter2", "abcdefgh12345"]) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]?.url).toBe("rediss://user:[redacted]@redis.example:6379");
  });
});

describe("redact", () => {
  it("keeps ordinary values as they are", () => {
    expect(redact({ machineId: 3, host: "tcp://h:2376", jobIds: ["1", "2"] })).toEqual({
      machineId: 3,
      host: "tcp://h:2376",
      jobIds: ["1", "2"],
    });
  });
});
