import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { superviseProcess } from "./supervised-process.js";
import { waitFor } from "./wait-for.js";

let dir: string | undefined;
let leftover: number | undefined;
afterEach(async () => {
  if (leftover !== undefined && isAlive(leftover)) process.kill(leftover, "SIGKILL");
  leftover = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("superviseProcess", () => {
  it("kills a service that ignores SIGTERM once the stop timeout passes", async () => {
    dir = await mkdtemp(join(tmpdir(), "supervised-"));
    const pidFile = join(dir, "pid");
    // A stand-in for a daemon stuck in its shutdown: it ignores SIGTERM.
    const service = superviseProcess({
      name: "stubborn",
      command: "/bin/sh",
      args: ["-c", `trap '' TERM; echo $$ > ${pidFile}; while :; do sleep 0.1; done`],
      logFile: join(dir, "log"),
    });
    await waitFor(async () => (await readFile(pidFile, "utf8").catch(() => "")).trim() !== "", {
      what: "the service's pid file",
      timeoutMs: 30_000,
      intervalMs: 20,
    });
    const pid = Number((await readFile(pidFile, "utf8")).trim());
    leftover = pid;
    await service.stop(300);
    await waitFor(async () => !isAlive(pid), {
      what: `service ${pid} to be gone`,
      timeoutMs: 30_000,
      intervalMs: 50,
    }).catch(() => undefined);
    expect(isAlive(pid)).toBe(false);
  });
});
