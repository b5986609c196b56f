import { describe, expect, it } from "vitest";
import { RestylerTracker } from "./restyler-tracker.js";

const die = (id: string) => ({ Action: "die", Actor: { ID: id } });
const start = (id: string, jobId: string) => ({
  Action: "start",
  Actor: { ID: id, Attributes: { "job-id": jobId } },
});

describe("RestylerTracker", () => {
  it("subtracts an exit seen as an event from a list that still shows it running", () => {
    const tracker = new RestylerTracker();
    tracker.event(die("a"));
    tracker.listed([
      { id: "a", jobId: "1" },
      { id: "b", jobId: "2" },
    ]);
    expect(tracker.running()).toEqual([{ id: "b", jobId: "2" }]);
    expect(tracker.event(die("b"))).toBe(true);
    expect(tracker.running()).toEqual([]);
  });

  it("counts a container started after the list until it exits", () => {
    const tracker = new RestylerTracker();
    tracker.listed([]);
    tracker.event(start("c", "3"));
    expect(tracker.running()).toEqual([{ id: "c", jobId: "3" }]);
    tracker.event({ status: "destroy", id: "c" });
    expect(tracker.running()).toEqual([]);
  });

  it("lets a restart undo an earlier exit", () => {
    const tracker = new RestylerTracker();
    tracker.listed([{ id: "d", jobId: "4" }]);
    tracker.event(die("d"));
    tracker.event(start("d", "4"));
    expect(tracker.running().map((r) => r.id)).toEqual(["d"]);
  });

  it("ignores events that do not change what runs", () => {
    const tracker = new RestylerTracker();
    expect(tracker.event({ Action: "exec_start: sh", Actor: { ID: "e" } })).toBe(false);
    expect(tracker.event({ Action: "die" })).toBe(false);
  });
});
