/**
 * The highest value seen in each clock hour, for a day or so: what the warm
 * pool's size follows (warm-pool-target.ts). Hourly buckets keep it small
 * enough for one tag value on the group (256 characters), where the live
 * tool keeps its memory, and the simulator uses the very same buckets.
 */
export interface HourlyPeaks {
  /** Epoch ms of the oldest bucket's hour. */
  firstHour: number;
  /** One peak per hour from `firstHour` on; null: nothing recorded in that hour. */
  peaks: Array<number | null>;
}

const HOUR_MS = 3_600_000;

export const EMPTY_PEAKS: HourlyPeaks = { firstHour: 0, peaks: [] };

/** Adds a value to its hour's bucket and drops the buckets older than `keepMs`. */
export function recordPeak(
  history: HourlyPeaks,
  now: number,
  value: number,
  keepMs: number,
): HourlyPeaks {
  const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const oldest = hour - Math.max(0, Math.ceil(keepMs / HOUR_MS) - 1) * HOUR_MS;
  const peaks: Array<number | null> = [];
  for (let h = oldest; h <= hour; h += HOUR_MS) {
    const index = (h - history.firstHour) / HOUR_MS;
    const kept =
      history.peaks.length > 0 && index >= 0 && index < history.peaks.length
        ? (history.peaks[index] ?? null)
        : null;
    peaks.push(h === hour ? Math.max(kept ?? value, value) : kept);
  }
  // Leading hours with nothing recorded carry no information.
  let first = 0;
  while (first < peaks.length - 1 && peaks[first] === null) first += 1;
  return { firstHour: oldest + first * HOUR_MS, peaks: peaks.slice(first) };
}

/**
 * The highest value recorded in the hours that overlap the last `windowMs`;
 * null when the history does not reach back over the whole window (the
 * oldest record is younger than its first hour), or holds nothing.
 */
export function peakWithin(history: HourlyPeaks, now: number, windowMs: number): number | null {
  const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const oldest = hour - Math.max(0, Math.ceil(windowMs / HOUR_MS) - 1) * HOUR_MS;
  if (history.peaks.length === 0 || history.firstHour > oldest) return null;
  let peak: number | null = null;
  history.peaks.forEach((value, i) => {
    const h = history.firstHour + i * HOUR_MS;
    if (value !== null && h >= oldest && h <= hour) peak = Math.max(peak ?? value, value);
  });
  return peak;
}

/** `epoch-seconds:v,v,,v` (an empty value: no record that hour); about 80 characters for a day. */
export function formatPeaks(history: HourlyPeaks): string {
  if (history.peaks.length === 0) return "";
  const values = history.peaks.map((v) => (v === null ? "" : String(v))).join(",");
  return `${Math.floor(history.firstHour / 1_000)}:${values}`;
}

/** A missing or garbled tag is an empty history: the pool then keeps its floor until demand shows. */
export function parsePeaks(value: string | undefined): HourlyPeaks {
  const match = /^(\d{9,11}):((?:\d{0,4},)*\d{0,4})$/.exec(value ?? "");
  if (!match) return EMPTY_PEAKS;
  const firstHour = Number(match[1]) * 1_000;
  if (firstHour % HOUR_MS !== 0) return EMPTY_PEAKS;
  const peaks = match[2]!.split(",").map((v) => (v === "" ? null : Number(v)));
  if (peaks.length > 48) return EMPTY_PEAKS;
  return { firstHour, peaks };
}
