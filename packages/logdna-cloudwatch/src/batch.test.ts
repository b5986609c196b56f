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

  it("fills batches close to the cap rather than splitting early", () => {
    const batches = batchLines(makeLines(500, 300), 64 * 1024);
    for (const batch of batches.slice(0, -1)) expect(batch.bytes).toBeGreaterThan(60 * 1024);
  });

  it("sends a single line larger than the cap on its own", () => {
    const batches = batchLines(makeLines(3, 2000), 1000);
    expect(batches.map((batch) => batch.lines)).toEqual([1, 1, 1]);
  });

  it("makes no batch for no lines", () => {
    expect(batchLines([], 1000)).toEqual([]);
  });
});
