import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { isStaleCreated, listRestylers } from "../docker/client.js";
import type { DockerEngineClient } from "../docker/engine-api.js";
import { errorMessage, type Logger } from "../logger.js";

/** Removes `restyler-*` folders in `dir` last modified more than `maxAgeMs` ago. */
export async function removeOldTempFolders(options: {
  dir: string;
  maxAgeMs: number;
  log: Logger;
  now?: number;
}): Promise<string[]> {
  const cutoff = (options.now ?? Date.now()) - options.maxAgeMs;
  const entries = await readdir(options.dir, { withFileTypes: true });
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith("restyler-")) continue;
    const path = join(options.dir, entry.name);
    try {
      if ((await stat(path)).mtimeMs >= cutoff) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(entry.name);
    } catch (error) {
      options.log.warn("could not remove an old restyler folder", {
        path,
        error: errorMessage(error),
      });
    }
  }
  options.log.info("removed old restyler folders", { dir: options.dir, removed });
  return removed;
}

export interface PruneResult {
  skipped: boolean;
  containersDeleted: number;
  imagesDeleted: number;
  spaceReclaimed: number;
}

/**
 * Prunes stopped containers and unused images, unless a restyler container
 * runs or is about to (a job may be about to use an image it just pulled).
 */
export async function pruneDocker(docker: DockerEngineClient, log: Logger): Promise<PruneResult> {
  const running = (await listRestylers(docker)).filter((r) => !isStaleCreated(r));
  if (running.length > 0) {
    log.info("skipping the Docker prune: restyler containers are running", {
      count: running.length,
    });
    return { skipped: true, containersDeleted: 0, imagesDeleted: 0, spaceReclaimed: 0 };
  }
  const containers = await docker.pruneContainers();
  const images = await docker.pruneImages({ filters: { dangling: ["false"] } });
  const result = {
    skipped: false,
    containersDeleted: containers.ContainersDeleted?.length ?? 0,
    imagesDeleted: images.ImagesDeleted?.length ?? 0,
    spaceReclaimed: (containers.SpaceReclaimed ?? 0) + (images.SpaceReclaimed ?? 0),
  };
  log.info("pruned Docker", result);
  return result;
}

/** Runs both prunes every `intervalMs` (0: never), until stopped; a fresh machine has nothing to prune. */
export function scheduleHousekeeping(options: {
  docker: DockerEngineClient;
  tempDir: string;
  tempMaxAgeMs: number;
  intervalMs: number;
  log: Logger;
}): { stop(): Promise<void> } {
  if (options.intervalMs <= 0) return { stop: async () => undefined };
  const log = options.log.child({ task: "housekeeping" });
  let current: Promise<unknown> = Promise.resolve();
  const run = () => {
    current = Promise.allSettled([
      removeOldTempFolders({ dir: options.tempDir, maxAgeMs: options.tempMaxAgeMs, log }),
      pruneDocker(options.docker, log),
    ]).then((results) => {
      for (const r of results) {
        if (r.status === "rejected")
          log.warn("housekeeping failed", { error: errorMessage(r.reason) });
      }
    });
  };
  const timer = setInterval(run, options.intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
