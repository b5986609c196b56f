import { describe, expect, it } from "vitest";
import { readPayload } from "../test/events.js";
import {
  describeLogGroup,
  MAX_LINE_CHARS,
  toLogdnaLine,
  toLogdnaLines,
  truncateLine,
} from "./transform.js";

const where = { app: "webhooks", env: "prod", file: "stream" };

describe("toLogdnaLines", () => {
  it("turns an ECS data message into lines with levels, app, env and file", () => {
    const lines = toLogdnaLines(readPayload("ecs-data-message.json"), { env: "ignored" });
    expect(lines.map((line) => [line.level, line.app, line.env])).toEqual([
      ["INFO", "webhooks", "prod"],
      ["ERROR", "webhooks", "prod"],
      ["WARN", "webhooks", "prod"],
      ["WARN", "webhooks", "prod"],
      ["ERROR", "webhooks", "prod"],
      [undefined, "webhooks", "prod"],
    ]);
    expect(lines[0]).toEqual({
      timestamp: 1777636800000,
      line: "INFO Processing job 42 for restyled-io/restyled.io#1234",
      app: "webhooks",
      env: "prod",
      file: "webhooks/restyled/4b1c0a9e2f6d4e51a0c3b8d7e6f5a4b3",
      level: "INFO",
    });
  });

  it("keeps a JSON line as JSON and its fields as meta", () => {
    const [, , , json] = toLogdnaLines(readPayload("ecs-data-message.json"), { env: "prod" });
    expect(JSON.parse(json!.line)).toMatchObject({ level: "warn", context: { job: 42 } });
    expect(json!.meta).toMatchObject({
      location: { module: "Restyled.Job", line: 88 },
      message: { text: "Retrying clone", meta: { attempt: 2 } },
    });
  });

  it("splits Lambda's prefix, keeping the request id and the level", () => {
    const lines = toLogdnaLines(readPayload("lambda-data-message.json"), { env: "prod" });
    const info = lines[1]!;
    expect(info).toMatchObject({
      line: "Queue depth 7, 2 machines in service",
      level: "INFO",
      app: "/aws/lambda/restyled-prod-autoscale",
      env: "prod",
      meta: { requestId: "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" },
    });
    expect(lines[2]).toMatchObject({
      level: "ERROR",
      meta: {
        requestId: "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        code: "ScalingActivityInProgress",
      },
    });
    expect(lines[3]).toMatchObject({ level: "WARN", line: "Redis URL from SSM is stale" });
    expect(lines[0]!.line).toBe(
      "START RequestId: 6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d Version: $LATEST",
    );
  });

  it("has no lines for a CONTROL_MESSAGE", () => {
    expect(toLogdnaLines(readPayload("control-message.json"), { env: "prod" })).toEqual([]);
  });

  it("uses the configured environment when the group does not name one", () => {
    expect(describeLogGroup("testLogGroup", "staging")).toEqual({
      app: "testLogGroup",
      env: "staging",
    });
    expect(describeLogGroup("/restyled/dev/agent", "prod")).toEqual({ app: "agent", env: "dev" });
    expect(describeLogGroup("x".repeat(200), "prod").app).toHaveLength(80);
  });

  it("prefers a JSON level over Lambda's prefix, and severity when there is no level", () => {
    const line = toLogdnaLine(
      {
        id: "1",
        timestamp: 1,
        message: '2026-05-01T12:00:00.000Z\treq\tINFO\t{"level":"error","x":1}',
      },
      where,
    );
    expect(line.level).toBe("ERROR");
    expect(
      toLogdnaLine({ id: "2", timestamp: 1, message: '{"severity":"DEBUG"}' }, where).level,
    ).toBe("DEBUG");
  });

  it("leaves JSON that is not an object, and broken JSON, as plain text", () => {
    expect(toLogdnaLine({ id: "1", timestamp: 1, message: "[1,2]" }, where).meta).toBeUndefined();
    const broken = toLogdnaLine({ id: "1", timestamp: 1, message: '{"level":"error"' }, where);
    expect(broken.meta).toBeUndefined();
    expect(broken.level).toBeUndefined();
  });
});

describe("truncation", () => {
  it("cuts a line over 32,000 characters, with a marker, and drops its JSON fields", () => {
    const big = JSON.stringify({ level: "info", blob: "x".repeat(50_000) });
    const line = toLogdnaLine({ id: "1", timestamp: 1, message: big }, where);
    expect(line.line.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
    expect(line.line).toMatch(/ … \[truncated \d+ chars to 32000\]$/);
    expect(line.line.startsWith(big.slice(0, 1000))).toBe(true);
    expect(line.meta).toEqual({ truncated: true, length: big.length });
    expect(line.level).toBe("INFO");
  });

  it("leaves a line of exactly the limit alone", () => {
    const exact = "y".repeat(MAX_LINE_CHARS);
    expect(toLogdnaLine({ id: "1", timestamp: 1, message: exact }, where).line).toBe(exact);
  });

  it("never splits a surrogate pair", () => {
    const text = `${"a".repeat(99)}${"😀".repeat(100)}`;
    for (let max = 80; max < 120; max++) {
      const cut = truncateLine(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(Buffer.from(cut, "utf8").toString("utf8")).toBe(cut);
      expect(cut).not.toContain("\ufffd");
    }
  });
});
