import { describe, expect, it } from "vitest";
import { DEFAULT_SYSTEM } from "./compare.js";
import type { Controller } from "./controllers.js";
import type { SimulatedJob } from "./jobs.js";
import { queuePolicy } from "./policies.js";
import { type SystemSettings, simulate } from "./simulator.js";
import { createWarmPool, DEFAULT_WARM_POOL, warmPoolSize } from "./warm-pool.js";

const MIN = 60_000;
const T0 = Date.parse("2026-01-05T00:00:00Z");
const system: SystemSettings = {
  ...DEFAULT_SYSTEM,
  min: 1,
  max: 4,
  deadAgentRate: 0,
  tickMs: 1_000,
};
// The reuse model is what ReuseOnScaleIn would do; the machines stack leaves it off.
const pooled: SystemSettings = {
  ...system,
  warmPool: { ...DEFAULT_WARM_POOL, reuseOnScaleIn: true },
};

/** Asks for `machines(now)` machines at every control step; takes idle machines on scale-in. */
function scripted(
  machines: (now: number) => number,
  reconciles = false,
  idleScaleInBy: "terminate" | "protect" = "protect",
): Controller {
  return { scaleIn: "idle", idleScaleInBy, reconciles, decide: (view) => machines(view.now) };
}

function jobs(count: number, durationMs: number, at = T0): SimulatedJob[] {
  return Array.from({ length: count }, () => ({ arrival: at, duration: durationMs }));
}

describe("warmPoolSize", () => {
  it("is max(MinSize, MaxGroupPreparedCapacity - desired), the group's max by default", () => {
    expect(warmPoolSize(DEFAULT_WARM_POOL, 12, 5)).toBe(7);
    expect(warmPoolSize({ ...DEFAULT_WARM_POOL, minSize: 2 }, 12, 12)).toBe(2);
    expect(warmPoolSize({ ...DEFAULT_WARM_POOL, maxPreparedCapacity: 6 }, 12, 5)).toBe(1);
    expect(warmPoolSize({ ...DEFAULT_WARM_POOL, maxPreparedCapacity: 6 }, 12, 8)).toBe(0);
  });
});

describe("createWarmPool", () => {
  it("refills by launches that run the cold boot, billed as running, then stop", () => {
    const pool = createWarmPool({
      settings: DEFAULT_WARM_POOL,
      groupMax: 3,
      bootDelayMs: 3 * MIN,
      start: T0,
      desired: 3,
    });
    expect(pool.size()).toBe(0);
    pool.resize(T0, 1);
    expect(pool.size()).toBe(2);
    expect(pool.ready()).toBe(0);
    pool.advance(T0 + 3 * MIN);
    expect(pool.ready()).toBe(2);
    const hours = pool.hours(T0 + 63 * MIN);
    expect(hours.runningHours).toBeCloseTo((2 * 3) / 60, 5);
    expect(hours.stoppedHours).toBeCloseTo(2, 5);
  });

  it("lets a surplus go, the instances still initialising first", () => {
    const pool = createWarmPool({
      settings: DEFAULT_WARM_POOL,
      groupMax: 4,
      bootDelayMs: 3 * MIN,
      start: T0,
      desired: 3,
    });
    pool.resize(T0, 1); // 1 ready, 2 initialising
    pool.resize(T0 + MIN, 3);
    expect(pool.size()).toBe(1);
    expect(pool.ready()).toBe(1);
  });
});

describe("simulate with a warm pool", () => {
  it("serves a scale-out after the warm start with a ready pool, after the boot without one", () => {
    // 6 ten-minute jobs at once: the one machine takes 3, the second machine the rest.
    const work = jobs(6, 10 * MIN);
    const warm = simulate(
      work,
      scripted(() => 2),
      pooled,
    );
    const cold = simulate(
      work,
      scripted(() => 2),
      system,
    );
    expect(warm.waitMaxMs).toBe(DEFAULT_WARM_POOL.warmStartMs);
    expect(cold.waitMaxMs).toBe(system.bootDelayMs);
    expect([warm.warmStarts, warm.coldLaunches]).toEqual([1, 0]);
    expect([cold.warmStarts, cold.coldLaunches]).toEqual([0, 1]);
  });

  it("launches cold beyond the pool", () => {
    const small = { ...DEFAULT_WARM_POOL, maxPreparedCapacity: 2 }; // 1 in the pool at desired 1
    const result = simulate(
      jobs(9, 10 * MIN),
      scripted(() => 3),
      { ...system, warmPool: small },
    );
    expect([result.warmStarts, result.coldLaunches]).toEqual([1, 1]);
    expect(result.waitMaxMs).toBe(system.bootDelayMs);
  });

  it("keeps the pool stopped (its own column), and a scale-in returns the drained machine to it", () => {
    const work = [...jobs(6, 10 * MIN), ...jobs(6, 10 * MIN, T0 + 60 * MIN)];
    const twice = scripted((now) => (now - T0 < 20 * MIN || now - T0 >= 60 * MIN ? 2 : 1));
    const result = simulate(work, twice, pooled);
    // Both scale-outs are warm: the machine let go at 20m went back to the pool.
    expect([result.warmStarts, result.coldLaunches]).toEqual([2, 0]);
    const at = (minutes: number) => result.timeline.find((p) => p.time === T0 + minutes * MIN);
    expect(at(0)?.warm).toBe(3);
    expect(at(10)?.warm).toBe(2);
    expect(at(30)?.warm).toBe(3);
    // Running: 1 machine throughout (70m) + the second for 0-20m and 60-70m; the
    // pool's 3 instances stopped the rest of the time.
    expect(result.machineHours).toBeCloseTo((70 + 20 + 10) / 60, 1);
    expect(result.stoppedHours).toBeCloseTo((3 * 70 - 20 - 10) / 60, 1);
  });

  it("without reuse, terminates the scaled-in machine and refills with a cold boot billed as running", () => {
    const work = [...jobs(6, 10 * MIN), { arrival: T0 + 60 * MIN, duration: MIN }];
    const once = scripted((now) => (now - T0 < 20 * MIN ? 2 : 1));
    const reuse = simulate(work, once, pooled);
    const noReuse = simulate(work, once, {
      ...system,
      warmPool: DEFAULT_WARM_POOL,
    });
    expect(noReuse.machineHours - reuse.machineHours).toBeCloseTo(
      system.bootDelayMs / 3_600_000,
      2,
    );
    expect(reuse.timeline.at(-1)?.warm).toBe(3);
    expect(noReuse.timeline.at(-1)?.warm).toBe(3);
  });

  it("terminates an idle machine scaled in by TerminateInstanceInAutoScalingGroup: no reuse", () => {
    const work = [...jobs(6, 10 * MIN), { arrival: T0 + 60 * MIN, duration: MIN }];
    const at = (now: number) => (now - T0 < 20 * MIN ? 2 : 1);
    const protect = simulate(work, scripted(at), pooled);
    const terminate = simulate(work, scripted(at, false, "terminate"), pooled);
    expect(terminate.machineHours - protect.machineHours).toBeCloseTo(
      system.bootDelayMs / 3_600_000,
      2,
    );
  });

  it("replaces a warm-started machine whose agent died, from the pool", () => {
    const dead = { ...pooled, deadAgentRate: 1 };
    const result = simulate(
      [{ arrival: T0 + 60 * MIN, duration: MIN }],
      scripted(() => 1, true),
      dead,
    );
    expect(result.replaced).toBeGreaterThan(0);
    expect(result.warmStarts).toBe(result.replaced);
    expect(result.coldLaunches).toBe(0);
  });
});

describe("a warm pool sized by the controller (PutWarmPool MaxGroupPreparedCapacity)", () => {
  it("holds the prepared capacity minus desired, its surplus terminated, growth refilled cold", () => {
    const settings = { ...system, max: 12 };
    const sized = (prepared: (now: number) => number | null): Controller => ({
      ...scripted(() => 1),
      warmPoolPreparedCapacity: (view) => prepared(view.now),
    });
    // AWS's default for 20m (11 stopped), then 3 (2 stopped), then 6 from 40m (5: 3 refills).
    const result = simulate(
      [
        { arrival: T0, duration: MIN },
        { arrival: T0 + 60 * MIN, duration: MIN },
      ],
      sized((now) => (now - T0 < 20 * MIN ? null : now - T0 < 40 * MIN ? 3 : 6)),
      { ...settings, warmPool: DEFAULT_WARM_POOL },
    );
    const at = (minutes: number) => result.timeline.find((p) => p.time === T0 + minutes * MIN);
    // The timeline shows each step's view, before that step's resize.
    expect(at(20)?.warm).toBe(11);
    expect(at(21)?.warm).toBe(2);
    expect(at(41)?.warm).toBe(2);
    expect(at(44)?.warm).toBe(5);
    // Stopped: 11 for 20m, 2 for the rest, 3 more from 43m; running: the one
    // machine plus the 3 refills' boots.
    const end = (result.timeline.at(-1)!.time - T0) / MIN;
    expect(result.stoppedHours).toBeCloseTo((11 * 20 + 2 * (end - 20) + 3 * (end - 43)) / 60, 1);
    expect(result.machineHours).toBeCloseTo((end + 3 * 3) / 60, 1);
  });

  it("this tool keeps AWS's default pool for its first day, then the day's peak + headroom", () => {
    const day = 24 * 60;
    const work = [
      { arrival: T0, duration: MIN },
      ...jobs(30, 10 * MIN, T0 + 60 * MIN),
      { arrival: T0 + (day + 120) * MIN, duration: MIN },
    ];
    const spec = queuePolicy({
      warmPool: DEFAULT_WARM_POOL,
      warmPoolSizing: { windowMs: day * MIN, headroom: 2 },
    });
    const result = simulate(work, spec.make(), { ...pooled, max: 12 });
    const peak = Math.max(...result.timeline.map((p) => p.desired));
    expect(peak).toBeGreaterThan(1);
    const at = (minutes: number) => result.timeline.find((p) => p.time === T0 + minutes * MIN);
    expect(at(30)?.warm).toBe(11);
    // A day on: the pool holds the peak (at 1h) + 2 - 1 desired, and once
    // that hour has left the window, 1 + 2 - 1.
    expect(at(day + 30)?.warm).toBe(peak + 2 - 1);
    expect(at(day + 100)?.warm).toBe(2);
  });
});
