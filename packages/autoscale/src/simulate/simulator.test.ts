import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY_SETTINGS } from "../policy.js";
import { comparePolicies, DEFAULT_SIMULATION, DEFAULT_SYSTEM } from "./compare.js";
import { queueController, thresholdsController } from "./controllers.js";
import { parseJobDurations } from "./job-durations.js";
import type { SimulatedJob } from "./jobs.js";
import { type SystemSettings, simulate } from "./simulator.js";
import { parseTrace } from "./trace.js";

const MIN = 60_000;
const T0 = Date.parse("2026-01-05T00:00:00Z");
const system: SystemSettings = { ...DEFAULT_SYSTEM, max: 4, deadAgentRate: 0, tickMs: 1_000 };
const policy = { ...DEFAULT_POLICY_SETTINGS, scaleInStabilizationMs: 10 * MIN };
const ours = () => queueController(policy);
const original = () => thresholdsController({ high: 40, low: 10, machines: 4 });

function burst(count: number, durationMs = MIN, at = T0): SimulatedJob[] {
  return Array.from({ length: count }, (_, i) => ({ arrival: at + i * 100, duration: durationMs }));
}

describe("simulate", () => {
  it("runs a lone job at once on the one machine, with one machine-hour per hour", () => {
    const result = simulate([{ arrival: T0, duration: 10 * MIN }], ours(), system);
    expect(result.jobs).toBe(1);
    expect(result.waitMaxMs).toBe(0);
    expect(result.scalingActions).toBe(0);
    expect(result.machineHours).toBeCloseTo(10 / 60, 2);
  });

  it("makes a burst wait for the boot delay, drains it in parallel, then walks back down", () => {
    const later = { arrival: T0 + 40 * MIN, duration: MIN };
    const result = simulate([...burst(24), later], ours(), system);
    expect(result.jobs).toBe(25);
    expect(result.waitMaxMs).toBeGreaterThanOrEqual(3 * MIN);
    expect(result.waitMaxMs).toBeLessThan(6 * MIN);
    expect(result.timeline.some((p) => p.desired === 4)).toBe(true);
    expect(result.timeline.at(-1)?.desired).toBe(1);
    expect(result.busyScaleIns).toBe(0);
  });

  it("leaves a burst the one machine starts within the boot delay to that machine", () => {
    const result = simulate(burst(12), ours(), system);
    expect(result.scalingActions).toBe(0);
    expect(result.waitMaxMs).toBeGreaterThanOrEqual(3 * MIN - 1_000);
    expect(result.waitMaxMs).toBeLessThanOrEqual(3 * MIN);
  });

  it("gives every policy the same Webhooks tasks per machine unless told otherwise", () => {
    // 30 one-minute jobs, one machine: 3 at a time with the system's 3 tasks, 2 with the original's 2.
    const equal = simulate(burst(30), original(), system);
    const asDeployed = simulate(burst(30), original(), { ...system, tasksPerMachine: 2 });
    expect(equal.waitMaxMs).toBeGreaterThanOrEqual(8.9 * MIN);
    expect(equal.waitMaxMs).toBeLessThan(10 * MIN);
    expect(asDeployed.waitMaxMs).toBeGreaterThanOrEqual(13.9 * MIN);
  });

  it("replaces an instance whose agent never registered when it reconciles, and not otherwise", () => {
    const dead = { ...system, deadAgentRate: 1, min: 1 };
    const jobs = [{ arrival: T0 + 60 * MIN, duration: MIN }];
    expect(simulate(jobs, ours(), dead).replaced).toBeGreaterThan(0);
    expect(simulate(jobs, original(), dead).replaced).toBe(0);
  });

  it("scales in only idle machines under this tool; Auto Scaling's pick may take a busy one", () => {
    // A long job keeps one machine busy while demand falls: ours never takes it.
    const jobs = [...burst(40, 2 * MIN), { arrival: T0 + 100, duration: 60 * MIN }];
    expect(simulate(jobs, ours(), system).busyScaleIns).toBe(0);
  });

  it("replays the same jobs for every compared policy and reports every figure", () => {
    const trace = parseTrace(
      `timestamp,arrivals\n${Array.from({ length: 60 }, (_, i) => `${new Date(T0 + i * MIN).toISOString()},${i === 10 ? 60 : 1}`).join("\n")}\n`,
    );
    const comparison = comparePolicies(trace, {
      ...DEFAULT_SIMULATION,
      durations: parseJobDurations("fixed:1m"),
    });
    expect(comparison.jobs).toBe(119);
    expect(comparison.results.map((r) => r.family)).toEqual([
      "queue",
      "thresholds",
      "target-tracking",
      "keda",
      "thresholds",
    ]);
    for (const { result } of comparison.results) {
      expect(result.jobs).toBe(119);
      expect(result.waitP50Ms).toBeLessThanOrEqual(result.waitP95Ms);
      expect(result.waitP95Ms).toBeLessThanOrEqual(result.waitMaxMs);
      expect(result.machineHours).toBeGreaterThanOrEqual(1);
    }
  });
});
