import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { type IssueCertificates, startDockerd } from "./dockerd.js";
import { startPostgres } from "./postgres.js";
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

/** What a test reads with `inject("postgres")`: a superuser URL (TLS offered, not required) and the CA. */
export interface ProvidedPostgres {
  url: string;
  port: number;
  password: string;
  caFile: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
    docker: ProvidedDocker;
    postgres: ProvidedPostgres;
  }
}

export interface ServiceNeeds {
  redis?: boolean;
  docker?: { issueCertificates: IssueCertificates };
  /** A PostgreSQL server with a password, accepting plain and TLS connections. */
  postgres?: boolean;
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
    const [redis, docker, postgres] = await Promise.allSettled([
      needs.redis ? startRedis() : undefined,
      needs.docker ? startDockerd(needs.docker) : undefined,
      needs.postgres ? startPostgres({ tls: true }) : undefined,
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
    if (postgres.status === "fulfilled" && postgres.value) {
      const { stop, url, port, password, caFile } = postgres.value;
      stops.push(stop);
      project.provide("postgres", { url, port, password, caFile: caFile ?? "" });
    }
    for (const started of [redis, docker, postgres]) {
      if (started.status === "rejected") {
        await stopAll();
        throw started.reason;
      }
    }
    return stopAll;
  };
}
