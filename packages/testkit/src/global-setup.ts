import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { type IssueCertificates, startDockerd } from "./dockerd.js";
import { startPostgres } from "./postgres.js";
import { startRedis } from "./redis.js";
import {
  type ProvidedDocker,
  type ProvidedPostgres,
  readSharedServices,
  type SharedServices,
} from "./shared-services.js";

export type { ProvidedDocker, ProvidedPostgres } from "./shared-services.js";

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

/** A service's coordinates, and how to stop it when this run started it. */
interface Provided<T> {
  value: T;
  stop?: () => Promise<void>;
}

/**
 * Builds a vitest `globalSetup` that provides each service the package needs,
 * once per test run (not once per file). Under the root `pnpm test` the
 * services already run, shared by every package; a package run on its own
 * starts its own and stops them at the end, passed or not.
 */
export function defineServices(needs: ServiceNeeds) {
  async function setup(project: TestProject): Promise<() => Promise<void>> {
    const shared = readSharedServices();
    const results = await Promise.allSettled([
      needs.redis ? provideRedis(shared) : undefined,
      needs.docker ? provideDocker(shared, needs.docker.issueCertificates) : undefined,
      needs.postgres ? providePostgres(shared) : undefined,
    ]);
    const stops = results.flatMap((r) =>
      r.status === "fulfilled" && r.value?.stop ? [r.value.stop] : [],
    );
    const stopAll = async () => {
      await Promise.allSettled(stops.map((stop) => stop()));
    };
    const failed = results.find((r) => r.status === "rejected");
    if (failed) {
      await stopAll();
      throw failed.reason;
    }
    const [redis, docker, postgres] = results.map((r) =>
      r.status === "fulfilled" ? r.value : undefined,
    );
    if (redis) project.provide("redisUrl", redis.value as string);
    if (docker) project.provide("docker", docker.value as ProvidedDocker);
    if (postgres) project.provide("postgres", postgres.value as ProvidedPostgres);
    return stopAll;
  }
  // The root test command reads what each package needs from here.
  return Object.assign(setup, { needs });
}

async function provideRedis(shared: SharedServices): Promise<Provided<string>> {
  if (shared.redisUrl) return { value: shared.redisUrl };
  const redis = await startRedis();
  return { value: redis.url, stop: redis.stop };
}

async function provideDocker(
  shared: SharedServices,
  issueCertificates: IssueCertificates,
): Promise<Provided<ProvidedDocker>> {
  if (shared.docker) return { value: shared.docker };
  const { stop, ...value } = await startDockerd({ issueCertificates });
  return { value, stop };
}

async function providePostgres(shared: SharedServices): Promise<Provided<ProvidedPostgres>> {
  if (shared.postgres) return { value: shared.postgres };
  const { stop, url, port, password, caFile } = await startPostgres({ tls: true });
  return { value: { url, port, password, caFile: caFile ?? "" }, stop };
}
