import { describe, expect, it } from "vitest";
import { batchLines } from "./batch.js";
import type { LogdnaLine } from "./transform.js";

const makeLines = (count: number, size: number): LogdnaLine[] =>
  Array.from({ length: count }, (_, i) => ({
    timestamp: i,
    line: `${i} ${"é".repeat(size)}`,
    app: "webhooks",
    env: "prod",
    file: "s",
  }));

describe("batchLines", () => {
  it("keeps every body under the cap, in order, with nothing lost", () => {
    const lines = makeLines(500, 300);
    const max = 64 * 1024;
    const batches = batchLines(lines, max);
    expect(batches.length).toBeGreaterThan(1);
    const seen: number[] = [];
    for (const batch of batches) {
      expect(batch.bytes).toBe(Buffer.byteLength(batch.body));
      expect(batch.bytes).toBeLessThanOrEqual(max);
      const parsed = JSON.parse(batch.body) as { lines: LogdnaLine[] };
      expect(parsed.lines).toHaveLength(batch.lines);
      seen.push(...parsed.lines.map((line) => line.timestamp));
    }
    expect(seen).toEqual(lines.map((line) => line.timestamp));
  });

  it.each([
    // ASCII, the usual case, is packed tightly; multi-byte text, which the
    // size guess undercounts, is cut again and may need up to twice as many.
    ["ASCII", "a", 1],
    ["two-byte", "é", 2],
    ["three-byte", "€", 2],
  ])("packs %s text without needless requests", (_name, char, slack) => {
    const lines = makeLines(500, 300).map((line) => ({
      ...line,
      line: line.line.replace(/é/g, char),
    }));
    const total = Buffer.byteLength(JSON.stringify({ lines }));
    const batches = batchLines(lines, 64 * 1024);
    const needed = Math.ceil(total / (64 * 1024));
    expect(batches.length).toBeLessThanOrEqual(needed * slack + 1);
    for (const batch of batches) expect(batch.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it("keeps a small event in one request", () => {
    expect(batchLines(makeLines(100, 50), 64 * 1024)).toHaveLength(1);
  });

  it("sends a single line larger than the cap on its own", () => {
    const batches = batchLines(makeLines(3, 2000), 1000);
    expect(batches.map((batch) => batch.lines)).toEqual([1, 1, 1]);
  });

  it("makes no batch for no lines", () => {
    expect(batchLines([], 1000)).toEqual([]);
  });
});
