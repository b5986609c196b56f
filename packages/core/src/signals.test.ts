import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { createShutdown } from "./signals.js";

function setup(watchdogMs?: number) {
  const target = new EventEmitter();
  const exits: number[] = [];
  const notes: string[] = [];
  const shutdown = createShutdown({
    target,
    watchdogMs,
    exit: (code) => exits.push(code),
    notify: (message) => notes.push(message),
  });
  return { target, exits, notes, shutdown };
}

describe("createShutdown", () => {
  it("aborts the signal on the first SIGTERM and says so", () => {
    const { target, exits, notes, shutdown } = setup();
    target.emit("SIGTERM");
    expect(shutdown.signal.aborted).toBe(true);
    expect((shutdown.signal.reason as Error).name).toBe("AbortError");
    expect(notes).toEqual(["received SIGTERM; stopping (send it again to force)"]);
    expect(exits).toEqual([]);
    shutdown.dispose();
  });

  it("forces exit 130 on the second signal", () => {
    const { target, exits, notes, shutdown } = setup();
    target.emit("SIGINT");
    target.emit("SIGTERM");
    expect(exits).toEqual([130]);
    expect(notes[1]).toBe("received SIGTERM again; forcing exit");
    shutdown.dispose();
  });

  it("forces exit 130 when the graceful stop outlasts the watchdog", async () => {
    const { target, exits, shutdown } = setup(10);
    target.emit("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exits).toEqual([130]);
    shutdown.dispose();
  });

  it("removes its handlers and the watchdog on dispose", async () => {
    const { target, exits, shutdown } = setup(10);
    target.emit("SIGINT");
    shutdown.dispose();
    expect(target.listenerCount("SIGINT")).toBe(0);
    expect(target.listenerCount("SIGTERM")).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exits).toEqual([]);
  });
});
