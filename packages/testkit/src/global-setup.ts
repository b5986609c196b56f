import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { type IssueCertificates, startDockerd } from "./dockerd.js";
import { startRedis } from "./redis.js";

/** What a test reads with `inject("docker")`. */
export interface ProvidedDocker {
  host: string;
  port: number;
  certPath: string;
  certDir: string;
  socketPath: string;
  image: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
    docker: ProvidedDocker;
  }
}

export interface ServiceNeeds {
  redis?: boolean;
  docker?: { issueCertificates: IssueCertificates };
}

/**
 * Builds a vitest `globalSetup` that starts each service once per test run
 * (not once per file) and stops it at the end, whether the tests passed or not.
 */
export function defineServices(needs: ServiceNeeds) {
  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    const stops: Array<() => Promise<void>> = [];
    const stopAll = async () => {
      await Promise.allSettled(stops.reverse().map((stop) => stop()));
    };
    const [redis, docker] = await Promise.allSettled([
      needs.redis ? startRedis() : undefined,
      needs.docker ? startDockerd(needs.docker) : undefined,
    ]);
    if (redis.status === "fulfilled" && redis.value) {
      stops.push(redis.value.stop);
      project.provide("redisUrl", redis.value.url);
    }
    if (docker.status === "fulfilled" && docker.value) {
      const { stop, ...provided } = docker.value;
      stops.push(stop);
      project.provide("docker", provided);
    }
    for (const started of [redis, docker]) {
      if (started.status === "rejected") {
        await stopAll();
        throw started.reason;
      }
    }
    return stopAll;
  };
}
