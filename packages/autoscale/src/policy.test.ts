import { describe, expect, it } from "vitest";
import {
  DEFAULT_POLICY_SETTINGS,
  decideQueuePolicy,
  type GroupState,
  type Observation,
  type PolicyMemory,
} from "./policy.js";

const MIN = 60_000;
// The shipped defaults with a 10-minute window: 3 jobs per machine, a 3-minute boot
// and 1-minute jobs, so a machine gets 3 + 9 = 12 jobs going within a boot.
const settings = { ...DEFAULT_POLICY_SETTINGS, scaleInStabilizationMs: 10 * MIN };
// With no boot delay the policy is the plain ceil(demand / jobs per machine).
const noBoot = { ...settings, bootDelayMs: 0 };
const T0 = Date.parse("2026-01-01T00:00:00Z");

function settled(desired: number, limits: { min?: number; max?: number } = {}): GroupState {
  return {
    min: limits.min ?? 1,
    max: limits.max ?? 10,
    desired,
    inService: desired,
    pending: 0,
    terminating: 0,
  };
}

function observe(partial: Partial<Observation> & { group: GroupState }): Observation {
  return { now: T0, queued: 0, inFlight: 0, busyMachines: 0, ...partial };
}

describe("decideQueuePolicy", () => {
  const cases: Array<{
    name: string;
    observation: Observation;
    memory?: PolicyMemory;
    desired: number;
    action: string;
    lowSince: number | null;
    reason: RegExp;
  }> = [
    {
      name: "scales out at once on a burst, sizing new machines for what the one in service will not start within the boot",
      // 23 jobs; the machine in service gets 12 going within the 3m boot; the
      // other 11 need 4 more machines at 3 jobs each.
      observation: observe({ queued: 20, inFlight: 3, busyMachines: 1, group: settled(1) }),
      desired: 5,
      action: "scale-out",
      lowSince: null,
      reason:
        /^demand 23 \(20 queued \+ 3 running\) is 11 more than 1 serving get going within a 3m boot \(12 jobs each: 3 at once, 9 more as 1m jobs end\); those need 4 more at 3 jobs each; scaling out from 1 to 5$/,
    },
    {
      name: "adds no machine for queued jobs the machines in service start before a new one could boot",
      observation: observe({ queued: 9, inFlight: 3, busyMachines: 1, group: settled(1) }),
      desired: 1,
      action: "none",
      lowSince: null,
      reason: /demand 12 .* needs 1 machine\(s\) at 12 jobs each.*; 1 is right/,
    },
    {
      name: "adds one machine for the first job the machine in service would not start within the boot",
      observation: observe({ queued: 10, inFlight: 3, busyMachines: 1, group: settled(1) }),
      desired: 2,
      action: "scale-out",
      lowSince: null,
      reason:
        /is 1 more than 1 serving get going .*; those need 1 more at 3 jobs each; scaling out from 1 to 2$/,
    },
    {
      name: "counts running jobs as demand, not only the queue",
      // 20 queued alone fit 2 machines within a boot (24); with 7 running they do not.
      observation: observe({ queued: 20, inFlight: 7, busyMachines: 2, group: settled(2) }),
      desired: 3,
      action: "scale-out",
      lowSince: null,
      reason: /7 running/,
    },
    {
      name: "stops at the group's max",
      observation: observe({ queued: 100, group: settled(2, { max: 4 }) }),
      desired: 4,
      action: "scale-out",
      lowSince: null,
      reason: /group max 4/,
    },
    {
      name: "never goes below the group's min, even with no demand",
      observation: observe({ group: settled(2, { min: 2 }) }),
      desired: 2,
      action: "none",
      lowSince: null,
      reason: /2 is right/,
    },
    {
      name: "counts instances on their way as capacity: no scale-out for what they take when they arrive",
      // 1 serving gets 12 going, 2 booting take 3 each: 17 queued fit.
      observation: observe({ queued: 17, group: { ...settled(3), inService: 1, pending: 2 } }),
      desired: 3,
      action: "none",
      lowSince: T0,
      reason: /low for 0s/,
    },
    {
      name: "scales out beyond the instances on their way for a deeper queue",
      // 30 - 12 - 6 = 12 more jobs need 4 more machines.
      observation: observe({ queued: 30, group: { ...settled(3), inService: 1, pending: 2 } }),
      desired: 7,
      action: "scale-out",
      lowSince: null,
      reason: /is 12 more than 1 serving \+ 2 on the way .*scaling out from 3 to 7$/,
    },
    {
      name: "scales out while an instance drains, not counting it",
      observation: observe({ queued: 30, group: { ...settled(2), inService: 2, terminating: 1 } }),
      desired: 4,
      action: "scale-out",
      lowSince: null,
      reason: /is 6 more than 2 serving \(1 draining, not counted\)/,
    },
    {
      name: "scales in while an instance drains",
      observation: observe({ now: T0 + 30 * MIN, group: { ...settled(2), terminating: 1 } }),
      memory: { lowSince: T0 },
      desired: 1,
      action: "scale-in",
      lowSince: T0,
      reason: /from 2 to 1/,
    },
    {
      name: "does not scale in when no serving machine is idle",
      observation: observe({
        now: T0 + 30 * MIN,
        inFlight: 1,
        busyMachines: 1,
        group: { ...settled(3), idle: 0 },
      }),
      memory: { lowSince: T0 },
      desired: 3,
      action: "none",
      lowSince: T0,
      reason: /no serving machine is idle/,
    },
    {
      name: "starts the stabilization clock when demand first goes low",
      observation: observe({ queued: 1, group: settled(4) }),
      desired: 4,
      action: "none",
      lowSince: T0,
      reason: /low for 0s, scaling in after 10m/,
    },
    {
      name: "keeps waiting inside the stabilization window",
      observation: observe({ now: T0 + 9 * MIN, group: settled(4) }),
      memory: { lowSince: T0 },
      desired: 4,
      action: "none",
      lowSince: T0,
      reason: /low for 9m/,
    },
    {
      name: "scales in one step only after the window, however low demand is",
      observation: observe({ now: T0 + 10 * MIN, group: settled(4) }),
      memory: { lowSince: T0 },
      desired: 3,
      action: "scale-in",
      lowSince: T0,
      reason: /for 10m; scaling in one step from 4 to 3/,
    },
    {
      name: "never scales in below the machines that still run jobs",
      observation: observe({ now: T0 + 20 * MIN, inFlight: 3, busyMachines: 3, group: settled(3) }),
      memory: { lowSince: T0 },
      desired: 3,
      action: "none",
      lowSince: T0,
      reason: /3 machine\(s\) still run jobs/,
    },
    {
      name: "scales in when fewer machines are busy than the group has",
      observation: observe({ now: T0 + 20 * MIN, inFlight: 2, busyMachines: 2, group: settled(3) }),
      memory: { lowSince: T0 },
      desired: 2,
      action: "scale-in",
      lowSince: T0,
      reason: /from 3 to 2/,
    },
    {
      name: "resets the stabilization clock when demand comes back",
      // 40 jobs need all 4 machines (36 would fit 3 within a boot).
      observation: observe({ now: T0 + 9 * MIN, queued: 40, group: settled(4) }),
      memory: { lowSince: T0 },
      desired: 4,
      action: "none",
      lowSince: null,
      reason: /4 is right/,
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const decision = decideQueuePolicy(c.observation, settings, c.memory ?? { lowSince: null });
      expect(decision.desired).toBe(c.desired);
      expect(decision.action).toBe(c.action);
      expect(decision.memory.lowSince).toBe(c.lowSince);
      expect(decision.reason).toMatch(c.reason);
    });
  }

  it("does not scale in under flapping demand that never stays low for the window", () => {
    let memory: PolicyMemory = { lowSince: null };
    const actions: string[] = [];
    // Demand alternates every 4 minutes between 1 job and 40 jobs (4 machines' worth) over an hour.
    for (let minute = 0; minute <= 60; minute += 1) {
      const queued = Math.floor(minute / 4) % 2 === 0 ? 1 : 40;
      const decision = decideQueuePolicy(
        observe({ now: T0 + minute * MIN, queued, group: settled(4) }),
        settings,
        memory,
      );
      memory = decision.memory;
      actions.push(decision.action);
    }
    expect(actions.every((a) => a === "none")).toBe(true);
  });

  it("walks down one machine per settled run after a burst, then stops at the min", () => {
    let memory: PolicyMemory = { lowSince: null };
    let desired = 5;
    const steps: number[] = [];
    for (let minute = 0; minute <= 30; minute += 1) {
      const decision = decideQueuePolicy(
        observe({ now: T0 + minute * MIN, group: settled(desired) }),
        settings,
        memory,
      );
      memory = decision.memory;
      if (decision.action === "scale-in") steps.push(minute);
      desired = decision.desired;
    }
    expect(desired).toBe(1);
    expect(steps).toEqual([10, 11, 12, 13]);
  });
});

describe("decideQueuePolicy, boot-aware sizing", () => {
  const cases: Array<{
    name: string;
    observation: Observation;
    settings?: typeof settings;
    memory?: PolicyMemory;
    desired: number;
    action: string;
    lowSince: number | null;
  }> = [
    {
      name: "scales in after the window when one machine fewer gets every job going within a boot",
      // 12 jobs: one machine runs 3 and starts the 9 queued within 3 minutes.
      observation: observe({
        now: T0 + 10 * MIN,
        queued: 9,
        inFlight: 3,
        busyMachines: 1,
        group: settled(2),
      }),
      memory: { lowSince: T0 },
      desired: 1,
      action: "scale-in",
      lowSince: T0,
    },
    {
      name: "keeps two machines and resets the clock when one would leave a job unstarted past a boot",
      observation: observe({
        now: T0 + 10 * MIN,
        queued: 10,
        inFlight: 3,
        busyMachines: 1,
        group: settled(2),
      }),
      memory: { lowSince: T0 },
      desired: 2,
      action: "none",
      lowSince: null,
    },
    {
      name: "counts fewer queued jobs as absorbed when jobs are expected to run longer",
      // 3m jobs: a machine gets 3 + 3 going within a 3m boot; 11 jobs leave 5 for 2 more machines.
      observation: observe({ queued: 8, inFlight: 3, busyMachines: 1, group: settled(1) }),
      settings: { ...settings, expectedJobDurationMs: 3 * MIN },
      desired: 3,
      action: "scale-out",
      lowSince: null,
    },
    {
      name: "counts more queued jobs as absorbed when new machines boot slower",
      // 6m boot: a machine gets 3 + 18 going; 20 jobs need nothing more.
      observation: observe({ queued: 17, inFlight: 3, busyMachines: 1, group: settled(1) }),
      settings: { ...settings, bootDelayMs: 6 * MIN },
      desired: 1,
      action: "none",
      lowSince: null,
    },
    {
      name: "with no boot delay, scales out to ceil(demand / jobs per machine) on a burst",
      observation: observe({ queued: 20, inFlight: 3, busyMachines: 1, group: settled(1) }),
      settings: noBoot,
      desired: 8,
      action: "scale-out",
      lowSince: null,
    },
    {
      name: "with no boot delay, adds a machine for running jobs alone",
      observation: observe({ queued: 0, inFlight: 7, busyMachines: 3, group: settled(2) }),
      settings: noBoot,
      desired: 3,
      action: "scale-out",
      lowSince: null,
    },
    {
      name: "with no boot delay, 12 queued jobs keep 4 machines and reset the clock",
      observation: observe({ now: T0 + 9 * MIN, queued: 12, group: settled(4) }),
      settings: noBoot,
      memory: { lowSince: T0 },
      desired: 4,
      action: "none",
      lowSince: null,
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const decision = decideQueuePolicy(
        c.observation,
        c.settings ?? settings,
        c.memory ?? { lowSince: null },
      );
      expect(decision.desired).toBe(c.desired);
      expect(decision.action).toBe(c.action);
      expect(decision.memory.lowSince).toBe(c.lowSince);
    });
  }
});

describe("decideQueuePolicy with a warm pool", () => {
  const warmSettings = { ...settings, warmStartMs: MIN };

  it("sizes a scale-out for the warm start while the pool has instances ready", () => {
    // 10 queued, 1 idle machine: 12 going within a 3m boot (no scale-out), 6 within a 1m warm start.
    const observation = observe({ queued: 10, group: { ...settled(1), warm: 4 } });
    const warm = decideQueuePolicy(observation, warmSettings, { lowSince: null });
    expect(warm).toMatchObject({ action: "scale-out", desired: 3 });
    expect(warm.reason).toMatch(/within a 1m warm start \(4 ready in the warm pool\)/);
    const empty = observe({ queued: 10, group: { ...settled(1), warm: 0 } });
    expect(decideQueuePolicy(empty, warmSettings, { lowSince: null })).toMatchObject({
      action: "none",
      desired: 1,
    });
    // Not told of a warm start (no pool configured): the boot, whatever DescribeWarmPool said.
    expect(decideQueuePolicy(observation, settings, { lowSince: null }).action).toBe("none");
  });

  it("scales in after the warm window while instances are ready, after the full window otherwise", () => {
    const group = { ...settled(3), idle: 3 };
    const lowSince = T0 - 2 * MIN;
    const withPool = decideQueuePolicy(observe({ group: { ...group, warm: 2 } }), warmSettings, {
      lowSince,
    });
    expect(withPool).toMatchObject({ action: "scale-in", desired: 2 });
    const withoutPool = decideQueuePolicy(observe({ group }), warmSettings, { lowSince });
    expect(withoutPool).toMatchObject({ action: "none", desired: 3 });
    expect(withoutPool.reason).toMatch(/scaling in after 10m$/);
    const longer = decideQueuePolicy(
      observe({ group: { ...group, warm: 2 } }),
      { ...warmSettings, warmScaleInStabilizationMs: 5 * MIN },
      { lowSince },
    );
    expect(longer.reason).toMatch(/scaling in after 5m \(the warm pool has instances ready\)$/);
  });
});
