import { describe, expect, it } from "vitest";
import { comparePolicies, DEFAULT_SIMULATION } from "./compare.js";
import { parseJobDurations } from "./job-durations.js";
import type { SimulatedJob } from "./jobs.js";
import { type SimulationSettings, simulate } from "./simulator.js";
import { parseTrace } from "./trace.js";

const MIN = 60_000;
const T0 = Date.parse("2026-01-05T00:00:00Z");
const settings: SimulationSettings = {
  bootDelayMs: 3 * MIN,
  controlIntervalMs: MIN,
  jobsPerMachine: 3,
  min: 1,
  max: 4,
  scaleInStabilizationMs: 10 * MIN,
  expectedJobDurationMs: MIN,
  tasksPerMachine: { queue: 3, thresholds: 2 },
};

function burst(count: number, durationMs = MIN): SimulatedJob[] {
  return Array.from({ length: count }, (_, i) => ({ arrival: T0 + i * 100, duration: durationMs }));
}

describe("simulate", () => {
  it("runs a lone job at once on the one machine, with one machine-hour per hour", () => {
    const result = simulate([{ arrival: T0, duration: 10 * MIN }], "queue", settings);
    expect(result.jobs).toBe(1);
    expect(result.waitMaxMs).toBe(0);
    expect(result.scalingActions).toBe(0);
    expect(result.machineHours).toBeCloseTo(10 / 60, 2);
  });

  it("makes a burst wait for the boot delay under the queue policy, then drains it in parallel", () => {
    const later = { arrival: T0 + 40 * MIN, duration: MIN };
    const result = simulate([...burst(24), later], "queue", settings);
    expect(result.jobs).toBe(25);
    // 3 start on the first machine; the rest wait for 3 more machines to boot.
    expect(result.waitMaxMs).toBeGreaterThanOrEqual(3 * MIN);
    expect(result.waitMaxMs).toBeLessThan(6 * MIN);
    expect(result.timeline.some((p) => p.desired === 4)).toBe(true);
    // Demand low for 10 minutes after the burst: back to the minimum, one step per run.
    expect(result.timeline.at(-1)?.desired).toBe(1);
    expect(result.scalingActions).toBe(4);
  });

  it("leaves a burst the one machine starts within the boot delay to that machine", () => {
    // 12 one-minute jobs: 3 at a time, the last starts 3 minutes in, when a new machine would boot.
    const result = simulate(burst(12), "queue", settings);
    expect(result.scalingActions).toBe(0);
    expect(result.waitMaxMs).toBeGreaterThanOrEqual(3 * MIN - 1_000);
    expect(result.waitMaxMs).toBeLessThanOrEqual(3 * MIN);
    // Told to expect 3-minute jobs, the policy sees that burst outrun the machine and adds some.
    const longer = simulate(burst(12), "queue", { ...settings, expectedJobDurationMs: 3 * MIN });
    expect(longer.scalingActions).toBeGreaterThan(0);
  });

  it("leaves a 30-job burst to one machine and 2 tasks under the thresholds policy", () => {
    const result = simulate(burst(30), "thresholds", settings);
    expect(result.scalingActions).toBe(0);
    // 2 at a time, a minute each: the last of 30 starts 14 minutes in.
    expect(result.waitMaxMs).toBeGreaterThanOrEqual(13.9 * MIN);
  });

  it("replays the same jobs for both policies and reports every figure", () => {
    const trace = parseTrace(
      `timestamp,arrivals\n${Array.from({ length: 60 }, (_, i) => `${new Date(T0 + i * MIN).toISOString()},${i === 10 ? 60 : 1}`).join("\n")}\n`,
    );
    const comparison = comparePolicies(trace, {
      ...DEFAULT_SIMULATION,
      durations: parseJobDurations("fixed:1m"),
    });
    expect(comparison.jobs).toBe(119);
    for (const result of Object.values(comparison.results)) {
      expect(result.jobs).toBe(119);
      expect(result.waitP50Ms).toBeLessThanOrEqual(result.waitP95Ms);
      expect(result.waitP95Ms).toBeLessThanOrEqual(result.waitMaxMs);
      expect(result.machineHours).toBeGreaterThanOrEqual(1);
    }
    expect(comparison.results.queue.waitP95Ms).toBeLessThan(
      comparison.results.thresholds.waitP95Ms,
    );
  });
});
