import type { DockerDaemon } from "./dockerd.js";

/**
 * The root `pnpm test` starts each service once and hands its coordinates to
 * every package's test run in these variables; `defineServices` uses them
 * when present and starts its own services otherwise (a package run alone).
 */
export const SHARED_ENV = {
  redisUrl: "RESTYLED_TEST_REDIS_URL",
  docker: "RESTYLED_TEST_DOCKER",
  postgres: "RESTYLED_TEST_POSTGRES",
} as const;

/** What a test reads with `inject("docker")`. */
export type ProvidedDocker = Omit<DockerDaemon, "stop">;

/** What a test reads with `inject("postgres")`: a superuser URL (TLS offered, not required) and the CA. */
export interface ProvidedPostgres {
  url: string;
  port: number;
  password: string;
  caFile: string;
}

export interface SharedServices {
  redisUrl?: string;
  docker?: ProvidedDocker;
  postgres?: ProvidedPostgres;
}

/** The shared services announced in `env`, checked for shape. */
export function readSharedServices(env: NodeJS.ProcessEnv = process.env): SharedServices {
  const shared: SharedServices = {};
  if (env[SHARED_ENV.redisUrl]) shared.redisUrl = env[SHARED_ENV.redisUrl];
  const postgres = env[SHARED_ENV.postgres];
  if (postgres) {
    const parsed = JSON.parse(postgres) as Partial<ProvidedPostgres>;
    for (const key of ["url", "port", "password", "caFile"] as const) {
      if (parsed[key] === undefined) {
        throw new Error(`${SHARED_ENV.postgres} lacks "${key}": start the tests with pnpm test`);
      }
    }
    shared.postgres = parsed as ProvidedPostgres;
  }
  const docker = env[SHARED_ENV.docker];
  if (docker) {
    const parsed = JSON.parse(docker) as Partial<ProvidedDocker>;
    for (const key of ["host", "port", "certPath", "certDir", "socketPath", "image"] as const) {
      if (parsed[key] === undefined) {
        throw new Error(`${SHARED_ENV.docker} lacks "${key}": start the tests with pnpm test`);
      }
    }
    shared.docker = parsed as ProvidedDocker;
  }
  return shared;
}

/** The variables that announce `services` to child processes. */
export function sharedServicesEnv(services: SharedServices): Record<string, string> {
  const env: Record<string, string> = {};
  if (services.redisUrl) env[SHARED_ENV.redisUrl] = services.redisUrl;
  if (services.postgres) env[SHARED_ENV.postgres] = JSON.stringify(services.postgres);
  if (services.docker) env[SHARED_ENV.docker] = JSON.stringify(services.docker);
  return env;
}
