import { createRandom, samplePoisson } from "./random.js";
import type { TraceRow } from "./trace.js";

export interface GenerateTraceOptions {
  /** First row's time (epoch ms); defaults to a Monday, 2026-01-05T00:00Z. */
  start?: number;
  days?: number;
  stepMs?: number;
  seed?: number;
  /** Mean arrivals per minute in working hours. */
  busyRate?: number;
  /** Mean arrivals per minute in quiet hours. */
  quietRate?: number;
  /** Mean bursts per working day. */
  burstsPerDay?: number;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * A synthetic queue trace with the shape Restyled sees: quiet nights and
 * weekends, a busier working day, and bursts when a bot or a big organisation
 * opens dozens of pull requests at once.
 */
export function generateTrace(options: GenerateTraceOptions = {}): TraceRow[] {
  const start = options.start ?? Date.parse("2026-01-05T00:00:00Z");
  const days = options.days ?? 3;
  const stepMs = options.stepMs ?? MINUTE;
  const random = createRandom(options.seed ?? 1);
  const busyRate = options.busyRate ?? 2;
  const quietRate = options.quietRate ?? 0.3;
  const burstsPerDay = options.burstsPerDay ?? 6;

  // Bursts are drawn first: a start time in working hours, a size and a spread.
  const bursts: Array<{ from: number; to: number; perStep: number }> = [];
  for (let day = 0; day < days; day += 1) {
    const dayStart = start + day * 24 * HOUR;
    const weekend = isWeekend(dayStart);
    const count = samplePoisson(random, weekend ? burstsPerDay / 4 : burstsPerDay);
    for (let i = 0; i < count; i += 1) {
      const from = dayStart + (7 + random() * 13) * HOUR;
      const size = 20 + Math.floor(random() * 100);
      const minutes = 1 + Math.floor(random() * 4);
      bursts.push({
        from,
        to: from + minutes * MINUTE,
        perStep: (size / minutes) * (stepMs / MINUTE),
      });
    }
  }

  const rows: TraceRow[] = [];
  for (let time = start; time < start + days * 24 * HOUR; time += stepMs) {
    const perMinute = baseRate(time, { busyRate, quietRate });
    let mean = perMinute * (stepMs / MINUTE);
    for (const burst of bursts) if (time >= burst.from && time < burst.to) mean += burst.perStep;
    rows.push({ time, arrivals: samplePoisson(random, mean) });
  }
  return rows;
}

function isWeekend(time: number): boolean {
  const day = new Date(time).getUTCDay();
  return day === 0 || day === 6;
}

/** Mean arrivals per minute by hour of the (UTC) day: quiet 22h-6h, ramps, a busy day. */
function baseRate(time: number, rates: { busyRate: number; quietRate: number }): number {
  const hour = new Date(time).getUTCHours() + new Date(time).getUTCMinutes() / 60;
  let rate: number;
  if (hour < 6 || hour >= 22) rate = rates.quietRate;
  else if (hour < 9) rate = rates.quietRate + ((hour - 6) / 3) * (rates.busyRate - rates.quietRate);
  else if (hour < 18) rate = rates.busyRate;
  else rate = rates.busyRate - ((hour - 18) / 4) * (rates.busyRate - rates.quietRate);
  return isWeekend(time) ? rate / 3 : rate;
}
