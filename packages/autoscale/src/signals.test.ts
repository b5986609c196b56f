import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { onShutdown, sleep } from "./signals.js";

describe("onShutdown", () => {
  it("stops gracefully on the first signal and forces exit 130 on the second", () => {
    const target = new EventEmitter();
    const stop = vi.fn();
    const forceExit = vi.fn();
    const remove = onShutdown(stop, { target, forceExit });
    target.emit("SIGTERM");
    expect(stop).toHaveBeenCalledTimes(1);
    expect(forceExit).not.toHaveBeenCalled();
    target.emit("SIGINT");
    expect(forceExit).toHaveBeenCalledWith(130);
    remove();
    expect(target.listenerCount("SIGINT") + target.listenerCount("SIGTERM")).toBe(0);
  });
});

describe("sleep", () => {
  it("ends early when aborted", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = sleep(60_000, controller.signal);
    controller.abort();
    await sleeping;
    // Far inside the 60 s sleep: the abort ended it.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("returns at once when already aborted", async () => {
    await sleep(60_000, AbortSignal.abort());
  });
});
