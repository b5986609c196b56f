// The option table of check-redis-url: flags, variables, defaults and parsers
// in one place; parsing, validation and --help come from it.
import {
  boolean,
  boundedDuration,
  defineOptions,
  environmentName,
  httpsUrl,
  parser,
  path,
  string,
} from "@restyled/core/options";
import { parseSyncEntry } from "./synced-variables.js";

const herokuApp = parser("NAME", (text) => {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(text)) {
    throw new Error(`${JSON.stringify(text.slice(0, 40))} is not a Heroku app name or id`);
  }
  return text;
});

const parameterPath = parser("PATH", (text) => {
  if (!/^\/[A-Za-z0-9_.\-/]+$/.test(text) || text.includes("//")) {
    throw new Error(
      `${JSON.stringify(text.slice(0, 80))} is not an SSM parameter path such as /restyled/prod/x`,
    );
  }
  return text;
});

const clusterName = parser("NAME", (text) => {
  if (!/^(arn:[^\s]+|[A-Za-z0-9_-]{1,255})$/.test(text)) {
    throw new Error(`${JSON.stringify(text.slice(0, 80))} is not an ECS cluster name or ARN`);
  }
  return text;
});

const syncEntry = parser("VAR=PARAMETER", parseSyncEntry);

export const OPTIONS = defineOptions([
  {
    key: "env",
    flag: "env",
    env: "RESTYLED_ENV",
    parse: environmentName,
    required: true,
    description: "environment; names the SSM parameters",
  },
  {
    key: "app",
    flag: "app",
    env: "HEROKU_APP",
    parse: herokuApp,
    default: "restyled-io",
    description: "Heroku app holding the URLs",
  },
  {
    key: "sync",
    flag: "sync",
    env: "SYNC_VARIABLES",
    parse: syncEntry,
    multiple: true,
    description:
      "a config var and its SSM parameter key (under /restyled/ENV/) or path (default: REDIS_URL=redis-url,DATABASE_URL=database-url)",
  },
  {
    key: "dryRun",
    flag: "dry-run",
    env: "DRY_RUN",
    parse: boolean,
    default: "false",
    description: "check and prove, write and roll nothing",
  },
  {
    key: "cluster",
    flag: "cluster",
    env: "ECS_CLUSTER",
    parse: clusterName,
    description:
      "ECS cluster whose services reading a written parameter are rolled (none: nothing is rolled)",
  },
  {
    key: "rollTimeout",
    flag: "roll-timeout",
    env: "ROLL_TIMEOUT",
    parse: boundedDuration({ min: "1s", max: "1h" }),
    default: "10m",
    description: "time the rolled services have to reach a steady state",
  },
  {
    key: "herokuApiKeyParameter",
    flag: "heroku-api-key-parameter",
    env: "HEROKU_API_KEY_PARAMETER",
    parse: parameterPath,
    description: "SSM parameter holding the Heroku API key (default: /restyled/ENV/heroku-api-key)",
  },
  {
    key: "herokuApiUrl",
    flag: "heroku-api-url",
    env: "HEROKU_API_URL",
    parse: httpsUrl,
    default: "https://api.heroku.com",
    description: "Platform API base URL (plain http only to loopback)",
  },
  {
    key: "redisCaFile",
    flag: "redis-ca-file",
    env: "REDIS_TLS_CA_FILE",
    parse: path,
    description: "extra CA (PEM) trusted for rediss://",
  },
  {
    key: "redisInsecure",
    flag: "insecure-skip-tls-verify",
    env: "REDIS_TLS_INSECURE",
    parse: boolean,
    default: "false",
    description: "do not verify rediss:// certificates (logged)",
  },
  {
    key: "postgresCaFile",
    flag: "postgres-ca-file",
    env: "POSTGRES_TLS_CA_FILE",
    parse: path,
    description: "extra CA (PEM) trusted for PostgreSQL",
  },
  {
    key: "postgresInsecure",
    flag: "postgres-insecure-skip-tls-verify",
    env: "POSTGRES_TLS_INSECURE",
    parse: boolean,
    default: "false",
    description: "do not verify PostgreSQL certificates (logged)",
  },
  {
    key: "pingTimeout",
    flag: "ping-timeout",
    env: "PING_TIMEOUT",
    parse: boundedDuration({ min: "1ms", max: "5m" }),
    default: "5s",
    description: "time a new URL has to answer PING or SELECT 1",
  },
  {
    key: "region",
    flag: "region",
    env: "AWS_REGION",
    parse: string,
    description: "AWS region (default: the SDK's)",
  },
] as const);
