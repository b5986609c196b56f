import { mkdir, mkdtemp, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@restyled/testkit";
import { startTcpProxy } from "@restyled/testkit/tcp-proxy";
import { afterEach, describe, expect, inject, it } from "vitest";
import { pruneDocker, removeOldTempFolders } from "../src/in-service/housekeeping.js";
import { createHarness, type Harness, removeTestContainers, startAgent } from "./harness.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("in service", () => {
  it("disables the machine while the daemon is gone and enables it when it is back", async () => {
    // The agent and restyled.io both reach the daemon through a proxy the test
    // can cut: the daemon "disappears" without stopping the shared dockerd.
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: inject("docker").port });
    try {
      harness = await createHarness({ dockerPort: proxy.port });
      const h = harness;
      const agent = startAgent(h);
      await h.waitForLog("machine in service");
      const machine = [...h.api.machines.values()][0]!;
      expect(machine.enabled).toBe(true);

      proxy.cut();
      // The agent logs once restyled.io has answered the PATCH: wait for the log, not the state.
      await h.waitForLog("daemon unreachable; machine disabled");
      expect(h.api.machines.get(machine.id)!.enabled).toBe(false);
      expect(h.logs.find((l) => l.msg === "daemon unreachable; machine disabled")).toMatchObject({
        level: "error",
        machineId: machine.id,
      });

      proxy.restore();
      await h.waitForLog("daemon answering again; machine enabled");
      expect(h.api.machines.get(machine.id)!.enabled).toBe(true);
      const patches = h.api.requests
        .filter((r) => r.method === "PATCH")
        .map((r) => r.body.toString());
      expect(patches).toEqual(['{"enabled":false}', '{"enabled":true}']);

      agent.signals.emit("SIGTERM");
      expect(await agent.done).toBe(true);
      expect(h.api.machines.size).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it("keeps trying to disable the machine while restyled.io is failing too", async () => {
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: inject("docker").port });
    try {
      harness = await createHarness({ dockerPort: proxy.port });
      const h = harness;
      const agent = startAgent(h);
      await h.waitForLog("machine in service");
      const machine = [...h.api.machines.values()][0]!;
      h.api.injectFailure({ method: "PATCH", status: 500, times: 2 });
      proxy.cut();
      await waitFor(async () => !h.api.machines.get(machine.id)!.enabled, {
        what: "the machine to be disabled",
        timeoutMs: 120_000,
        intervalMs: 20,
      });
      expect(
        h.logs.filter((l) => l.msg === "could not update the machine; will retry"),
      ).toHaveLength(2);
      proxy.restore();
      agent.signals.emit("SIGTERM");
      expect(await agent.done).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});

describe("housekeeping", () => {
  it("runs on its schedule while in service", async () => {
    const dir = await mkdtemp(join(tmpdir(), "agent-scheduled-"));
    try {
      const old = Date.now() / 1000 - 2 * 3600;
      await mkdir(join(dir, "restyler-stale"));
      await utimes(join(dir, "restyler-stale"), old, old);
      harness = await createHarness({
        flags: ["--prune-interval", "300ms", "--temp-dir", dir, "--temp-max-age", "1h"],
      });
      const h = harness;
      // Keeps the shared test image in use, so the prune cannot remove it.
      const keeper = await h.webhooks.createContainer({
        Image: inject("docker").image,
        Cmd: ["sleep", "60"],
        Labels: { "agent-test": h.testId },
        HostConfig: { NetworkMode: "none" },
      });
      await keeper.start();
      const agent = startAgent(h);
      await h.waitForLog("machine in service");
      expect(await h.waitForLog("removed old restyler folders")).toMatchObject({
        task: "housekeeping",
        removed: ["restyler-stale"],
      });
      expect(await h.waitForLog("pruned Docker")).toMatchObject({
        task: "housekeeping",
        skipped: false,
      });
      agent.signals.emit("SIGTERM");
      expect(await agent.done).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("removes only restyler-* folders older than the maximum age", async () => {
    const dir = await mkdtemp(join(tmpdir(), "agent-housekeeping-"));
    try {
      const old = Date.now() / 1000 - 13 * 3600;
      for (const name of ["restyler-old", "restyler-new", "other-old"]) {
        await mkdir(join(dir, name, "repo"), { recursive: true });
      }
      await utimes(join(dir, "restyler-old"), old, old);
      await utimes(join(dir, "other-old"), old, old);
      const harnessLogs: Record<string, unknown>[] = [];
      const { createAgentLogger } = await import("../src/logger.js");
      const log = createAgentLogger({ write: (l) => harnessLogs.push(JSON.parse(l)) });
      const removed = await removeOldTempFolders({ dir, maxAgeMs: 12 * 3_600_000, log });
      expect(removed).toEqual(["restyler-old"]);
      const { readdir } = await import("node:fs/promises");
      expect((await readdir(dir)).sort()).toEqual(["other-old", "restyler-new"]);
      expect(harnessLogs[0]).toMatchObject({
        msg: "removed old restyler folders",
        removed: ["restyler-old"],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("prunes stopped containers but keeps images in use, and never while a restyler runs", async () => {
    harness = await createHarness();
    const h = harness;
    const docker = inject("docker");
    // Keeps the shared test image in use, so the prune cannot remove it.
    const keeper = await h.webhooks.createContainer({
      Image: docker.image,
      Cmd: ["sleep", "60"],
      Labels: { "agent-test": h.testId },
      HostConfig: { NetworkMode: "none" },
    });
    await keeper.start();
    const stopped = await h.webhooks.createContainer({
      Image: docker.image,
      Cmd: ["true"],
      Labels: { "agent-test": h.testId },
      HostConfig: { NetworkMode: "none" },
    });
    await stopped.start();
    await stopped.wait();

    const job = await h.runJob("501", ["sleep", "60"]);
    const skipped = await pruneDocker(h.ctx.docker, h.ctx.log);
    expect(skipped.skipped).toBe(true);
    expect((await stopped.inspect()).State.Status).toBe("exited");

    await job.remove({ force: true });
    const pruned = await pruneDocker(h.ctx.docker, h.ctx.log);
    expect(pruned.skipped).toBe(false);
    expect(pruned.containersDeleted).toBeGreaterThanOrEqual(1);
    await expect(stopped.inspect()).rejects.toThrow(/no such container/i);
    expect((await h.webhooks.listImages()).some((i) => i.RepoTags?.includes(docker.image))).toBe(
      true,
    );
    expect(h.logs.find((l) => l.msg === "pruned Docker")).toMatchObject({ skipped: false });
    await removeTestContainers(h.webhooks, h.testId);
  });
});
