import { describe, expect, it } from "vitest";
import { RestylerTracker } from "./restyler-tracker.js";

const die = (id: string) => ({ Action: "die", Actor: { ID: id } });
const start = (id: string, jobId: string) => ({
  Action: "start",
  Actor: { ID: id, Attributes: { restyler: "", "job-id": jobId } },
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
    expect(tracker.event(die("b"))).toBe("changed");
    expect(tracker.running()).toEqual([]);
  });

  it("counts a container started after the list until it exits", () => {
    const tracker = new RestylerTracker();
    tracker.listed([]);
    tracker.event(start("c", "3"));
    expect(tracker.running()).toMatchObject([{ id: "c", jobId: "3", state: "running" }]);
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
    expect(tracker.event({ Action: "exec_start: sh", Actor: { ID: "e" } })).toBe("none");
    expect(tracker.event({ Action: "die" })).toBe("none");
  });

  it("counts a created restyler that has not started as in flight, not as running", () => {
    const tracker = new RestylerTracker();
    tracker.listed([]);
    const now = Date.now();
    expect(
      tracker.event({
        Type: "container",
        Action: "create",
        time: Math.floor(now / 1000),
        Actor: { ID: "f", Attributes: { restyler: "", "job-id": "6" } },
      }),
    ).toBe("changed");
    expect(tracker.inFlight(now).map((r) => [r.id, r.jobId, r.state])).toEqual([
      ["f", "6", "created"],
    ]);
    expect(tracker.running(now)).toEqual([]);
    tracker.event(start("f", "6"));
    expect(tracker.running(now).map((r) => r.id)).toEqual(["f"]);
  });

  it("ignores a created restyler left over from a failed run long ago", () => {
    const tracker = new RestylerTracker();
    const now = Date.now();
    tracker.listed([
      { id: "old", jobId: "7", state: "created", createdAt: now - 60 * 60_000 },
      { id: "new", jobId: "8", state: "created", createdAt: now - 1_000 },
    ]);
    expect(tracker.inFlight(now).map((r) => r.id)).toEqual(["new"]);
  });

  it("reports an image pull as activity and ignores other containers' events", () => {
    const tracker = new RestylerTracker();
    tracker.listed([]);
    expect(tracker.event({ Type: "image", Action: "pull", Actor: { ID: "restyled/x:1" } })).toBe(
      "activity",
    );
    expect(tracker.event({ Type: "image", Action: "tag", Actor: { ID: "restyled/x:1" } })).toBe(
      "none",
    );
    expect(
      tracker.event({
        Type: "container",
        Action: "start",
        Actor: { ID: "web", Attributes: { name: "webhooks" } },
      }),
    ).toBe("none");
    expect(tracker.inFlight()).toEqual([]);
  });
});
