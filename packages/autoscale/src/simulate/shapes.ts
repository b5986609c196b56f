import { createRandom, samplePoisson } from "./random.js";
import type { TraceRow } from "./trace.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const SHAPES = ["diurnal-surge", "bursts", "ramp", "weekend"] as const;
export type Shape = (typeof SHAPES)[number];

interface ShapeSpec {
  start: string;
  days: number;
  /** Mean arrivals per minute at a UTC hour of the day (fractional). */
  rate: (hour: number) => number;
  /** Bursts per day, and their size range and spread in minutes. */
  bursts: {
    perDay: number;
    size: [number, number];
    minutes: [number, number];
    hours: [number, number];
  };
}

const SPECS: Record<Shape, ShapeSpec> = {
  // Weekdays: quiet night, a working day of 2/min, and a morning surge of
  // 7/min from 08:30 to 09:30 when people start work and open pull requests.
  "diurnal-surge": {
    start: "2026-01-05T00:00:00Z",
    days: 3,
    rate: (h) =>
      h >= 8.5 && h < 9.5
        ? 7
        : h < 6 || h >= 22
          ? 0.3
          : h < 8.5
            ? 0.3 + ((h - 6) / 2.5) * 1.7
            : h < 18
              ? 2
              : 2 - ((h - 18) / 4) * 1.7,
    bursts: { perDay: 2, size: [20, 60], minutes: [1, 3], hours: [10, 18] },
  },
  // Light load with bursts of 150 to 250 jobs within a minute (a bot or a
  // large organisation opening pull requests across its repositories).
  bursts: {
    start: "2026-01-05T00:00:00Z",
    days: 2,
    rate: (h) => (h < 7 || h >= 21 ? 0.2 : 0.6),
    bursts: { perDay: 4, size: [150, 250], minutes: [1, 1], hours: [0, 24] },
  },
  // A slow ramp from night to a sustained peak of 9/min, held 12:00 to 18:00.
  ramp: {
    start: "2026-01-06T00:00:00Z",
    days: 2,
    rate: (h) =>
      h < 6
        ? 0.3
        : h < 12
          ? 0.3 + ((h - 6) / 6) * 8.7
          : h < 18
            ? 9
            : h < 21
              ? 9 - ((h - 18) / 3) * 8.7
              : 0.3,
    bursts: { perDay: 0, size: [0, 0], minutes: [1, 1], hours: [0, 24] },
  },
  // A quiet weekend: 0.15 to 0.6 jobs a minute and two small bursts a day.
  weekend: {
    start: "2026-01-10T00:00:00Z",
    days: 2,
    rate: (h) => (h < 8 || h >= 22 ? 0.15 : 0.6),
    bursts: { perDay: 2, size: [10, 30], minutes: [1, 2], hours: [9, 21] },
  },
};

/** A seeded trace of one of the benchmark's shapes, one row a minute. */
export function generateShape(shape: Shape, seed: number): TraceRow[] {
  const spec = SPECS[shape];
  const random = createRandom(seed);
  const start = Date.parse(spec.start);
  const bursts: Array<{ from: number; to: number; perMinute: number }> = [];
  for (let day = 0; day < spec.days; day += 1) {
    const count = samplePoisson(random, spec.bursts.perDay);
    for (let i = 0; i < count; i += 1) {
      const [h0, h1] = spec.bursts.hours;
      const from = start + day * DAY + Math.floor((h0 + random() * (h1 - h0)) * 60) * MINUTE;
      const [s0, s1] = spec.bursts.size;
      const [m0, m1] = spec.bursts.minutes;
      const minutes = m0 + Math.floor(random() * (m1 - m0 + 1));
      const size = s0 + Math.floor(random() * (s1 - s0 + 1));
      bursts.push({ from, to: from + minutes * MINUTE, perMinute: size / minutes });
    }
  }
  const rows: TraceRow[] = [];
  for (let time = start; time < start + spec.days * DAY; time += MINUTE) {
    const hour = ((time - start) % DAY) / HOUR;
    let mean = spec.rate(hour);
    for (const burst of bursts) if (time >= burst.from && time < burst.to) mean += burst.perMinute;
    rows.push({ time, arrivals: samplePoisson(random, mean) });
  }
  return rows;
}
