import { parseDuration } from "./duration.js";
import { ConfigError, UsageError } from "./errors.js";
import { type LogLevel, parseLogLevel } from "./logger.js";
import {
  DEFAULT_SYNCED_VARIABLES,
  parseSyncedVariables,
  type SyncedVariable,
} from "./synced-variables.js";

/** Everything a run needs, read and validated once at start. */
export interface Config {
  env: string;
  /** The Heroku app whose config var holds the URL. */
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
  /** Check and report, write nothing. */
  dryRun: boolean;
  region: string | undefined;
  logLevel: LogLevel;
}

/** Values given as command-line flags; each overrides its environment variable. */
export interface ConfigFlags {
  env?: string;
  app?: string;
  sync?: string[];
  "heroku-api-key-parameter"?: string;
  "heroku-api-url"?: string;
  "allow-http"?: boolean;
  "insecure-skip-tls-verify"?: boolean;
  "redis-ca-file"?: string;
  "postgres-insecure-skip-tls-verify"?: boolean;
  "postgres-ca-file"?: string;
  "ping-timeout"?: string;
  cluster?: string;
  "roll-timeout"?: string;
  "dry-run"?: boolean;
  region?: string;
}

type Env = Record<string, string | undefined>;

const DEFAULT_HEROKU_API_URL = "https://api.heroku.com";
const DEFAULT_PING_TIMEOUT = "5s";
const MAX_PING_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_ROLL_TIMEOUT = "10m";
const MAX_ROLL_TIMEOUT_MS = 60 * 60_000;

/** One setting: where its value came from, so errors can name the flag or variable. */
interface Source {
  value: string | undefined;
  name: string;
  /** Flags are the user's to fix on the command line (64); variables are configuration (78). */
  fail: (message: string) => Error;
}

/**
 * Builds the configuration from flags (CLI) and environment variables
 * (CLI and Lambda), failing on the first missing or malformed value.
 */
export function resolveConfig(flags: ConfigFlags, env: Env): Config {
  const pick = (flag: keyof ConfigFlags, variable?: string): Source => {
    const fromFlag = flags[flag];
    if (typeof fromFlag === "string") {
      return { value: fromFlag, name: `--${flag}`, fail: (m) => new UsageError(m) };
    }
    const value = variable ? env[variable] : undefined;
    return {
      value: value === "" ? undefined : value,
      name: variable ?? `--${flag}`,
      fail: (m) => (variable ? new ConfigError(m) : new UsageError(m)),
    };
  };

  const envSource = pick("env", "RESTYLED_ENV");
  const envName = required(envSource, "the environment, such as prod");
  matches(envSource, /^[A-Za-z0-9_.-]+$/, "letters, digits, '.', '_' or '-'");
  const app = pick("app", "HEROKU_APP");
  matches(app, /^[A-Za-z0-9][A-Za-z0-9-]*$/, "a Heroku app name or id");
  const sync: Source = flags.sync?.length
    ? { value: flags.sync.join(","), name: "--sync", fail: (m) => new UsageError(m) }
    : pick("sync", "SYNC_VARIABLES");
  let variables: SyncedVariable[];
  try {
    variables = parseSyncedVariables(sync.value ?? DEFAULT_SYNCED_VARIABLES, envName);
  } catch (error) {
    throw sync.fail(`${sync.name} ${(error as Error).message}`);
  }
  const apiKeyParameter = pick("heroku-api-key-parameter", "HEROKU_API_KEY_PARAMETER");
  matches(
    apiKeyParameter,
    /^\/[A-Za-z0-9_.\-/]+$/,
    "an SSM parameter path such as /restyled/prod/x",
  );
  const allowHttp = readBoolean(flags["allow-http"], "HEROKU_API_ALLOW_HTTP", env);
  const insecure = readBoolean(flags["insecure-skip-tls-verify"], "REDIS_TLS_INSECURE", env);
  const postgresInsecure = readBoolean(
    flags["postgres-insecure-skip-tls-verify"],
    "POSTGRES_TLS_INSECURE",
    env,
  );
  const rollTimeout = pick("roll-timeout", "ROLL_TIMEOUT");
  const rollTimeoutMs = parseDuration(rollTimeout.value ?? DEFAULT_ROLL_TIMEOUT);
  if (rollTimeoutMs === undefined || rollTimeoutMs < 1_000 || rollTimeoutMs > MAX_ROLL_TIMEOUT_MS) {
    throw rollTimeout.fail(
      `${rollTimeout.name} must be a duration between 1s and 60m such as 10m (got "${rollTimeout.value}")`,
    );
  }
  const cluster = pick("cluster", "ECS_CLUSTER");
  matches(cluster, /^(arn:[^\s]+|[A-Za-z0-9_-]{1,255})$/, "an ECS cluster name or ARN");
  const pingTimeout = pick("ping-timeout", "PING_TIMEOUT");
  const pingTimeoutMs = parseDuration(pingTimeout.value ?? DEFAULT_PING_TIMEOUT);
  if (pingTimeoutMs === undefined || pingTimeoutMs <= 0 || pingTimeoutMs > MAX_PING_TIMEOUT_MS) {
    throw pingTimeout.fail(
      `${pingTimeout.name} must be a duration between 1ms and 5m such as 5s or 500ms (got "${pingTimeout.value}")`,
    );
  }

  return {
    env: envName,
    app: app.value ?? "restyled-io",
    variables,
    herokuApiKeyParameter: apiKeyParameter.value ?? `/restyled/${envName}/heroku-api-key`,
    herokuApiUrl: readHerokuApiUrl(pick("heroku-api-url", "HEROKU_API_URL"), allowHttp),
    redisTlsVerify: !insecure,
    redisCaFile: pick("redis-ca-file", "REDIS_TLS_CA_FILE").value,
    postgresTlsVerify: !postgresInsecure,
    postgresCaFile: pick("postgres-ca-file", "POSTGRES_TLS_CA_FILE").value,
    pingTimeoutMs,
    cluster: cluster.value,
    rollTimeoutMs,
    dryRun: readBoolean(flags["dry-run"], "DRY_RUN", env),
    region: pick("region", "AWS_REGION").value,
    logLevel: parseLogLevel(env.LOG_LEVEL),
  };
}

function required(source: Source, what: string): string {
  if (source.value === undefined) {
    throw source.fail(`${source.name} is required (${what})`);
  }
  return source.value;
}

function matches(source: Source, pattern: RegExp, expected: string): void {
  if (source.value !== undefined && !pattern.test(source.value)) {
    throw source.fail(`${source.name} must be ${expected} (got "${source.value}")`);
  }
}

function readBoolean(flag: boolean | undefined, variable: string, env: Env): boolean {
  if (flag) return true;
  const value = env[variable]?.toLowerCase();
  if (value === undefined || value === "" || value === "0" || value === "false") return false;
  if (value === "1" || value === "true") return true;
  throw new ConfigError(`${variable} must be true or false (got "${env[variable]}")`);
}

/** https only, unless plain http is explicitly allowed (tests, a local proxy). */
function readHerokuApiUrl(source: Source, allowHttp: boolean): string {
  const raw = source.value ?? DEFAULT_HEROKU_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw source.fail(`${source.name} must be a URL such as ${DEFAULT_HEROKU_API_URL}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw source.fail(`${source.name} must not carry credentials; the API key comes from SSM`);
  }
  if (url.protocol === "http:" && !allowHttp) {
    throw source.fail(
      `${source.name} uses plain http, which would send the API key unencrypted; use https or set --allow-http (HEROKU_API_ALLOW_HTTP=true)`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw source.fail(`${source.name} must be an https URL (got scheme ${url.protocol})`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw source.fail(`${source.name} must be a base URL without query or fragment`);
  }
  return url.href.replace(/\/+$/, "");
}
