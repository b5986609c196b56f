import { type JobDurations, sampleJobDuration } from "./job-durations.js";
import { createRandom } from "./random.js";
import type { TraceRow } from "./trace.js";

export interface SimulatedJob {
  arrival: number;
  duration: number;
}

/**
 * Turns a trace into jobs once, so that every policy replays the very same
 * arrivals and durations: a row's arrivals are spread at random over its interval.
 */
export function jobsFromTrace(
  trace: TraceRow[],
  durations: JobDurations,
  seed: number,
): SimulatedJob[] {
  const random = createRandom(seed);
  const jobs: SimulatedJob[] = [];
  for (const [index, row] of trace.entries()) {
    const next = trace[index + 1]?.time ?? row.time + (row.time - trace[index - 1]!.time);
    for (let i = 0; i < row.arrivals; i += 1) {
      jobs.push({
        arrival: row.time + random() * (next - row.time),
        duration: sampleJobDuration(durations, random),
      });
    }
  }
  return jobs.sort((a, b) => a.arrival - b.arrival);
}
