import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateTrace } from "./generate-trace.js";
import { parseTrace } from "./trace.js";

function perMinute(rows: ReturnType<typeof generateTrace>, fromHour: number, toHour: number) {
  const picked = rows.filter((r) => {
    const hour = new Date(r.time).getUTCHours();
    return hour >= fromHour && hour < toHour;
  });
  return picked.reduce((sum, r) => sum + r.arrivals, 0) / picked.length;
}

describe("generateTrace", () => {
  it("is the same for the same seed and differs for another", () => {
    expect(generateTrace({ days: 1, seed: 5 })).toEqual(generateTrace({ days: 1, seed: 5 }));
    expect(generateTrace({ days: 1, seed: 5 })).not.toEqual(generateTrace({ days: 1, seed: 6 }));
  });

  it("has quiet nights, busier days and bursts", () => {
    const rows = generateTrace({ days: 1, seed: 3, busyRate: 2, quietRate: 0.3, burstsPerDay: 6 });
    expect(rows).toHaveLength(1_440);
    const night = perMinute(rows, 0, 5);
    const day = perMinute(rows, 10, 17);
    expect(night).toBeLessThan(1);
    expect(day).toBeGreaterThan(2 * night);
    // A burst puts far more jobs in a minute than the busy rate would.
    expect(Math.max(...rows.map((r) => r.arrivals))).toBeGreaterThanOrEqual(10);
  });

  it("matches the shipped trace, which it generated with the defaults", () => {
    const shipped = readFileSync(
      new URL("../../traces/synthetic-3-days.csv", import.meta.url),
      "utf8",
    );
    expect(parseTrace(shipped)).toEqual(generateTrace());
  });
});
