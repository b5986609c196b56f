import { describe, expect, it } from "vitest";
import { DrainSettle } from "./settle.js";

const S = 5_000;
const settle = (asksRestyled = true) =>
  new DrainSettle({ settleMs: S, startedAt: 0, asksRestyled });

describe("DrainSettle", () => {
  it("ends a settle window after the last restyler exits, when restyled.io counts none", () => {
    const s = settle();
    s.docker(2, 0);
    s.jobCount(2, 100);
    expect(s.readyAt()).toBeUndefined();
    s.jobCount(1, 1_100);
    s.docker(0, 1_500);
    // Docker lost them without exit events: a count it cannot explain holds.
    s.jobCount(1, 2_100);
    expect(s.readyAt()).toBeUndefined();
    s.jobCount(0, 3_100);
    // The last unexplained count was read at 2,100.
    expect(s.readyAt()).toBe(2_100 + S);
  });

  it("waits for a job restyled.io counts while Docker shows nothing", () => {
    const s = settle();
    s.docker(0, 0);
    s.jobCount(1, 100);
    expect(s.readyAt()).toBeUndefined();
    // Its container starts, runs, exits; restyled.io sees it finish.
    s.docker(1, 2_000);
    s.jobCount(1, 2_100);
    s.docker(0, 4_000);
    s.jobCount(0, 4_100);
    expect(s.readyAt()).toBe(4_000 + S);
  });

  it("restarts the window on an image pull", () => {
    const s = settle();
    s.docker(0, 0);
    s.jobCount(0, 100);
    expect(s.readyAt()).toBe(S);
    s.activity(3_000);
    expect(s.readyAt()).toBe(3_000 + S);
  });

  it("does not end before restyled.io was read at least once", () => {
    const s = settle();
    s.docker(0, 0);
    expect(s.readyAt()).toBeUndefined();
  });

  it("falls back to Docker alone once restyled.io was unreadable for the window", () => {
    const s = settle();
    s.docker(0, 0);
    s.jobCount(1, 100);
    s.jobCountFailed(1_000);
    s.jobCountFailed(2_000);
    expect(s.fallingBack(2_000)).toBe(false);
    expect(s.readyAt()).toBe(1_000 + S);
    expect(s.fallingBack(1_000 + S)).toBe(true);
    expect(s.lastJobCount).toBeUndefined();
    // Readable again: its count decides again.
    s.jobCount(1, 3_000);
    expect(s.readyAt()).toBeUndefined();
    expect(s.fallingBack(10_000)).toBe(false);
  });

  it("decides on Docker alone when there is no machine to ask about", () => {
    const s = settle(false);
    s.docker(1, 0);
    expect(s.readyAt()).toBeUndefined();
    s.docker(0, 2_000);
    expect(s.readyAt()).toBe(2_000 + S);
  });

  it("does not wait on a count that a just-exited container explains", () => {
    const s = settle();
    s.docker(1, 0);
    s.jobCount(1, 500);
    // The job's container exits; restyled.io sees it finish a moment later.
    s.exited("c1", 1_000);
    s.docker(0, 1_000);
    s.jobCount(1, 1_300);
    expect(s.readyAt()).toBe(1_000 + S);
    s.jobCount(0, 2_300);
    expect(s.readyAt()).toBe(1_000 + S);
  });

  it("counts a job with no container once the exit that hid it is old", () => {
    const s = settle();
    s.docker(1, 0);
    s.exited("c1", 1_000);
    s.docker(0, 1_000);
    // Job A finished (restyled.io lags) and job B has no container yet: 1 left.
    s.jobCount(1, 1_300);
    expect(s.readyAt()).toBe(1_000 + S);
    // Past the explanation time, the same count is B's: it holds the drain.
    s.jobCount(1, 3_300);
    expect(s.readyAt()).toBeUndefined();
    s.jobCount(0, 4_300);
    expect(s.readyAt()).toBe(3_300 + S);
  });

  it("explains nothing when the window leaves no room for two reads", () => {
    const s = new DrainSettle({ settleMs: 1_000, startedAt: 0, asksRestyled: true });
    s.docker(1, 0);
    s.exited("c1", 100);
    s.docker(0, 100);
    s.jobCount(1, 200);
    expect(s.readyAt()).toBeUndefined();
  });
});
