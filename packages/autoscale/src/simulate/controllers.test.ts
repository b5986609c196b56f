import { describe, expect, it } from "vitest";
import {
  type ControlView,
  kedaController,
  targetTrackingController,
  thresholdsController,
} from "./controllers.js";

const MIN = 60_000;
function view(fields: Partial<ControlView>): ControlView {
  return {
    now: 0,
    queued: 0,
    inFlight: 0,
    desired: 1,
    min: 1,
    max: 12,
    serving: 1,
    inService: 1,
    coming: 0,
    draining: 0,
    busy: 0,
    idle: 1,
    warm: 0,
    history: [],
    ...fields,
  };
}

describe("the anchors", () => {
  it.each([
    [41, 1, 4],
    [40, 1, 1],
    [25, 4, 4],
    [9, 4, 1],
  ])("original thresholds: depth %i with %i machine(s) → %i", (queued, desired, expected) => {
    const policy = thresholdsController({ high: 40, low: 10, machines: 4 });
    expect(policy.decide(view({ queued, desired }))).toBe(expected);
  });

  it("target tracking scales out after 3 datapoints above target, proportionally", () => {
    const policy = targetTrackingController({ target: 4 });
    const deep = (now: number) => view({ now, queued: 20, desired: 1 });
    expect(policy.decide(deep(0))).toBe(1);
    expect(policy.decide(deep(MIN))).toBe(1);
    expect(policy.decide(deep(2 * MIN))).toBe(5);
  });

  it("target tracking scales in one instance after 15 low datapoints, then waits the cooldown", () => {
    const policy = targetTrackingController({ target: 4 });
    const decisions = Array.from({ length: 20 }, (_, i) =>
      policy.decide(view({ now: i * MIN, desired: 4, inService: 4, serving: 4 })),
    );
    expect(decisions.slice(0, 14)).toEqual(Array(14).fill(4));
    expect(decisions[14]).toBe(3);
    expect(decisions.slice(15, 19)).toEqual(Array(4).fill(4)); // the view still says 4: the cooldown holds
    expect(decisions[19]).toBe(3);
  });

  it("KEDA/HPA scales up at once to ceil(demand / per machine) and down to the window's highest", () => {
    const policy = kedaController({ perMachine: 3, windowMs: 5 * MIN });
    expect(policy.decide(view({ now: 0, queued: 10, inFlight: 2, desired: 1 }))).toBe(4);
    expect(policy.decide(view({ now: 1 * MIN, queued: 0, inFlight: 3, desired: 4 }))).toBe(4);
    expect(policy.decide(view({ now: 6 * MIN, queued: 0, inFlight: 3, desired: 4 }))).toBe(1);
  });
});
