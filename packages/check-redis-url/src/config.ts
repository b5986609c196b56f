import { ConfigError, UsageError } from "@restyled/core/errors";
import { parseOptions } from "@restyled/core/options";
import { OPTIONS } from "./options.js";
import { resolveSyncedVariables, type SyncedVariable } from "./synced-variables.js";

/** Everything a run needs, read and validated once at start. */
export interface Config {
  env: string;
  /** The Heroku app whose config vars hold the URLs. */
  app: string;
  /** The Heroku config vars kept in step, each with its SSM parameter. */
  variables: SyncedVariable[];
  /** SSM parameter holding the Heroku API key (`/restyled/{env}/heroku-api-key`). */
  herokuApiKeyParameter: string;
  /** Base URL of the Heroku Platform API, without a trailing slash. */
  herokuApiUrl: string;
  /** Verify the TLS certificate of `rediss://` servers (opt out explicitly). */
  redisTlsVerify: boolean;
  /** A CA bundle to trust for `rediss://`, in addition to the system's. */
  redisCaFile: string | undefined;
  /** Verify the TLS certificate of PostgreSQL servers (opt out explicitly). */
  postgresTlsVerify: boolean;
  /** A CA bundle to trust for PostgreSQL, in addition to the system's. */
  postgresCaFile: string | undefined;
  /** How long a new URL has to answer PING or `SELECT 1`. */
  pingTimeoutMs: number;
  /** The ECS cluster whose services are rolled after a write; none: nothing is rolled. */
  cluster: string | undefined;
  /** How long the rolled services have to reach a steady state. */
  rollTimeoutMs: number;
  /** Check and report, write and roll nothing. */
  dryRun: boolean;
  region: string | undefined;
}

/**
 * Builds the configuration from flags (CLI) and environment variables (CLI
 * and Lambda) through the option table: a bad flag is a UsageError (64)
 * naming it, a bad or missing variable a ConfigError (78) naming it.
 */
export function resolveConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Config {
  const options = parseOptions(OPTIONS, { argv, env });
  let variables: SyncedVariable[];
  try {
    variables = resolveSyncedVariables(options.sync, options.env);
  } catch (error) {
    const fromFlag = argv.some((arg) => arg === "--sync" || arg.startsWith("--sync="));
    const message = `${fromFlag ? "--sync" : "SYNC_VARIABLES"}: ${(error as Error).message}`;
    throw fromFlag ? new UsageError(message) : new ConfigError(message);
  }
  return {
    env: options.env,
    app: options.app,
    variables,
    herokuApiKeyParameter:
      options.herokuApiKeyParameter ?? `/restyled/${options.env}/heroku-api-key`,
    herokuApiUrl: options.herokuApiUrl,
    redisTlsVerify: !options.redisInsecure,
    redisCaFile: options.redisCaFile,
    postgresTlsVerify: !options.postgresInsecure,
    postgresCaFile: options.postgresCaFile,
    pingTimeoutMs: options.pingTimeout,
    cluster: options.cluster,
    rollTimeoutMs: options.rollTimeout,
    dryRun: options.dryRun,
    region: options.region,
  };
}
