import { describe, expect, it } from "vitest";
import { batchLines, writeBody } from "./batch.js";
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
    ["ASCII", "a"],
    ["two-byte", "é"],
    ["three-byte", "€"],
  ])("packs %s text tightly, cutting on the real UTF-8 size", (_name, char) => {
    const lines = makeLines(500, 300).map((line) => ({
      ...line,
      line: line.line.replace(/é/g, char),
    }));
    const total = Buffer.byteLength(JSON.stringify({ lines }));
    const batches = batchLines(lines, 64 * 1024);
    const needed = Math.ceil(total / (64 * 1024));
    expect(batches.length).toBeLessThanOrEqual(needed + 1);
    for (const batch of batches) {
      expect(batch.bytes).toBe(Buffer.byteLength(batch.body));
      expect(batch.bytes).toBeLessThanOrEqual(64 * 1024);
    }
  });

  it("serializes every line once, even for a payload just over the cap", () => {
    const reads = new Map<number, number>();
    const lines = makeLines(2000, 100).map((line) => {
      const text = line.line;
      return Object.defineProperty({ ...line }, "line", {
        enumerable: true,
        get() {
          reads.set(line.timestamp, (reads.get(line.timestamp) ?? 0) + 1);
          return text;
        },
      });
    });
    const total = Buffer.byteLength(JSON.stringify({ lines }));
    reads.clear();
    const batches = batchLines(lines, Math.floor(total * 0.9));
    expect(batches).toHaveLength(2);
    expect(batches.reduce((sum, batch) => sum + batch.lines, 0)).toBe(2000);
    expect([...reads.values()].every((count) => count === 1)).toBe(true);
    expect(reads.size).toBe(2000);
  });

  it("cuts a run again when its lines grow far bigger than the ones before", () => {
    const small = makeLines(200, 10);
    const big = makeLines(50, 3000).map((line) => ({ ...line, timestamp: line.timestamp + 200 }));
    const max = 64 * 1024;
    const batches = batchLines([...small, ...big], max);
    const seen = batches.flatMap((batch) => {
      expect(batch.bytes).toBeLessThanOrEqual(max);
      return (JSON.parse(batch.body) as { lines: LogdnaLine[] }).lines.map((l) => l.timestamp);
    });
    expect(seen).toEqual([...small, ...big].map((line) => line.timestamp));
  });

  it("keeps a small event in one request", () => {
    expect(batchLines(makeLines(100, 50), 64 * 1024)).toHaveLength(1);
  });

  it("sends a single line larger than the cap on its own", () => {
    const batches = batchLines(makeLines(3, 2000), 1000);
    expect(batches.map((batch) => batch.lines)).toEqual([1, 1, 1]);
  });

  it("writes exactly the body's bytes into a buffer, multi-byte text included", () => {
    const lines = makeLines(700, 120).map((line, i) => ({ ...line, line: `${line.line} €${i}` }));
    const batches = batchLines(lines, 64 * 1024);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      const target = Buffer.alloc(batch.bytes);
      expect(writeBody(batch, target)).toBe(batch.bytes);
      expect(target.toString("utf8")).toBe(batch.body);
    }
  });

  it("makes no batch for no lines", () => {
    expect(batchLines([], 1000)).toEqual([]);
  });
});
