import { describe, expect, it } from "vitest";
import { EMPTY_PEAKS, formatPeaks, parsePeaks, peakWithin, recordPeak } from "./hourly-peaks.js";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-03-02T00:00:00Z");
const DAY = 24 * HOUR;

/** Records `value(h)` at the middle of each hour from T0 for `hours` hours. */
function history(hours: number, value: (h: number) => number) {
  let peaks = EMPTY_PEAKS;
  for (let h = 0; h < hours; h += 1)
    peaks = recordPeak(peaks, T0 + h * HOUR + HOUR / 2, value(h), DAY);
  return peaks;
}

describe("hourly peaks", () => {
  it("keeps each hour's highest value", () => {
    let peaks = recordPeak(EMPTY_PEAKS, T0 + 5 * 60_000, 2, DAY);
    peaks = recordPeak(peaks, T0 + 10 * 60_000, 5, DAY);
    peaks = recordPeak(peaks, T0 + 50 * 60_000, 3, DAY);
    expect(peaks).toEqual({ firstHour: T0, peaks: [5] });
  });

  it("knows no peak until the history covers the window, then the window's highest", () => {
    const young = history(23, (h) => (h === 3 ? 7 : 1));
    expect(peakWithin(young, T0 + 22 * HOUR, DAY)).toBeNull();
    const day = history(24, (h) => (h === 3 ? 7 : 1));
    expect(peakWithin(day, T0 + 23 * HOUR, DAY)).toBe(7);
  });

  it("forgets a peak older than the window, and keeps at most the window's hours", () => {
    const peaks = history(30, (h) => (h === 3 ? 7 : h === 20 ? 4 : 1));
    expect(peaks.peaks).toHaveLength(24);
    expect(peakWithin(peaks, T0 + 29 * HOUR, DAY)).toBe(4);
  });

  it("keeps hours with no record as gaps (the tool did not run), which do not cover the window", () => {
    let peaks = recordPeak(EMPTY_PEAKS, T0, 3, DAY);
    peaks = recordPeak(peaks, T0 + 23 * HOUR, 1, DAY);
    expect(peaks.peaks).toEqual([3, ...Array(22).fill(null), 1]);
    expect(peakWithin(peaks, T0 + 23 * HOUR, DAY)).toBe(3);
    // An hour later the oldest record has left: the history no longer reaches back a day.
    peaks = recordPeak(peaks, T0 + 24 * HOUR, 1, DAY);
    expect(peakWithin(peaks, T0 + 24 * HOUR, DAY)).toBeNull();
  });

  it("fits a day in a tag value (256 characters) and reads back what it wrote", () => {
    const peaks = history(24, (h) => 12 - (h % 12));
    const text = formatPeaks(peaks);
    expect(text.length).toBeLessThan(256);
    expect(formatPeaks(history(48, () => 12)).length).toBeLessThanOrEqual(256);
    expect(parsePeaks(text)).toEqual(peaks);
    expect(formatPeaks(EMPTY_PEAKS)).toBe("");
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["garbled", "yesterday:1,2"],
    ["not on an hour", `${T0 / 1_000 + 60}:1,2`],
    ["too long", `${T0 / 1_000}:${Array(49).fill(1).join(",")}`],
  ])("reads a %s tag as no history", (_, text) => {
    expect(parsePeaks(text)).toEqual(EMPTY_PEAKS);
  });
});
