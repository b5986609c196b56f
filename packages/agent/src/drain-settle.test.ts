import { describe, expect, it } from "vitest";
import { DrainSettle } from "./drain-settle.js";

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
    expect(s.readyAt()).toBeUndefined();
    s.jobCount(0, 2_100);
    // The last non-zero count was read at 1,100, the last exit at 1,500.
    expect(s.readyAt()).toBe(1_500 + S);
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
});
