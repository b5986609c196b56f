// The behaviour matrix: every bad input, and for each of the six CLIs the
// argv and environment that deliver it through that tool's own flag or
// variable, everything else valid. A tool without such an input says why.
import type { Sandbox } from "./sandbox.js";
import { SECRET } from "./sandbox.js";

export const BAD_ENV = "Prod_1";
export const BAD_DURATION = "15 minutes";
export const BAD_BOOLEAN = "maybe";
export const BAD_LOG_LEVEL = "bogus";

export interface BadInput {
  id: string;
  title: string;
  /** The one exit code every tool must give: 78 for a variable, 64 for a flag. */
  code: 64 | 78;
}

export const INPUTS = [
  { id: "env-variable", title: `RESTYLED_ENV=${BAD_ENV}`, code: 78 },
  { id: "env-flag", title: `--env ${BAD_ENV}`, code: 64 },
  { id: "duration-variable", title: `duration variable "${BAD_DURATION}"`, code: 78 },
  { id: "duration-flag", title: `duration flag "${BAD_DURATION}"`, code: 64 },
  { id: "boolean-variable", title: `boolean variable "${BAD_BOOLEAN}"`, code: 78 },
  { id: "boolean-flag", title: `--flag=${BAD_BOOLEAN} (boolean)`, code: 64 },
  { id: "url-variable", title: "http URL to a remote host in a variable (token set)", code: 78 },
  { id: "url-flag", title: "http URL to a remote host in a flag (token set)", code: 64 },
  { id: "log-level", title: `LOG_LEVEL=${BAD_LOG_LEVEL}`, code: 78 },
  { id: "missing-region", title: "no AWS region anywhere", code: 78 },
] as const satisfies readonly BadInput[];

export type InputId = (typeof INPUTS)[number]["id"];

/** How one tool receives one bad input, on top of its valid base settings. */
export interface Delivery {
  argv?: string[];
  env?: Record<string, string>;
  /** Variables of the base removed for this cell. */
  unset?: string[];
  /**
   * What the one stderr line must name right after `bin: `, followed by `: `
   * (`RESTYLED_ENV`, `--env`); for the missing region, a word it must contain.
   */
  names: string;
  /** Why this tool may ask the instance metadata service in this cell (its documented fallback). */
  imds?: string;
}

export type Cell = Delivery | { na: string };

export interface Tool {
  /** The workspace package. */
  pkg: string;
  /** Its bin, the prefix of every error line. */
  bin: string;
  /** Valid settings: with them alone the tool would start its real work. */
  base(sandbox: Sandbox): { argv: string[]; env: Record<string, string> };
  cells: Record<InputId, Cell | ((sandbox: Sandbox) => Cell)>;
}

const envVariable: Cell = { env: { RESTYLED_ENV: BAD_ENV }, names: "RESTYLED_ENV" };
const envFlag: Cell = { argv: ["--env", BAD_ENV], names: "--env" };
const logLevel: Cell = { env: { LOG_LEVEL: BAD_LOG_LEVEL }, names: "LOG_LEVEL" };
const missingRegion: Cell = { unset: ["AWS_REGION"], names: "AWS_REGION" };
const dryRunFlag: Cell = { argv: [`--dry-run=${BAD_BOOLEAN}`], names: "--dry-run" };
const noEnvironment = "has no environment name (it works on a folder, not a restyled environment)";
const noAws = "makes no AWS call";

export const TOOLS: Tool[] = [
  {
    pkg: "@restyled/init-certificates",
    bin: "init-certificates",
    base: (s) => ({ argv: ["-H", "docker.example.org", "-o", `${s.dir}/certs`], env: {} }),
    cells: {
      "env-variable": { na: noEnvironment },
      "env-flag": { na: noEnvironment },
      "duration-variable": { na: "reads no duration (validity is --days, a whole number)" },
      "duration-flag": { na: "reads no duration (validity is --days, a whole number)" },
      "boolean-variable": { na: "reads no setting from a variable but LOG_LEVEL" },
      "boolean-flag": { argv: [`--force=${BAD_BOOLEAN}`], names: "--force" },
      "url-variable": { na: "sends nothing over the network" },
      "url-flag": { na: "sends nothing over the network" },
      "log-level": logLevel,
      "missing-region": { na: noAws },
    },
  },
  {
    pkg: "@restyled/agent",
    bin: "restyled-agent",
    base: (s) => ({
      argv: ["--instance-id", "i-0123456789abcdef0", "--docker-host", "tcp://127.0.0.1:2376"],
      env: {
        RESTYLED_ENV: "prod",
        RESTYLED_URL: s.loopback.url,
        RESTYLED_API_TOKEN: SECRET,
        AGENT_QUEUE_URL: `${s.loopback.url}/000000000000/restyled-prod-lifecycle`,
        DOCKER_CERT_PATH: s.dir,
      },
    }),
    cells: {
      "env-variable": envVariable,
      "env-flag": envFlag,
      "duration-variable": { env: { DRAIN_TIMEOUT: BAD_DURATION }, names: "DRAIN_TIMEOUT" },
      "duration-flag": { argv: ["--drain-timeout", BAD_DURATION], names: "--drain-timeout" },
      "boolean-variable": { na: "has no boolean setting" },
      "boolean-flag": { na: "has no boolean setting" },
      "url-variable": (s) => ({ env: { RESTYLED_URL: s.remote.url }, names: "RESTYLED_URL" }),
      "url-flag": (s) => ({ argv: ["--restyled-url", s.remote.url], names: "--restyled-url" }),
      "log-level": logLevel,
      "missing-region": {
        ...missingRegion,
        imds: "on EC2 the region comes from the instance metadata when AWS_REGION is unset",
      },
    },
  },
  {
    pkg: "@restyled/autoscale",
    bin: "restyled-autoscale",
    base: (s) => ({
      argv: ["--once"],
      env: {
        RESTYLED_ENV: "prod",
        MACHINES_GROUP_NAME: "restyled-prod-machines",
        REDIS_URL: `redis://${s.loopback.host}:${s.loopback.port}`,
        RESTYLED_URL: s.loopback.url,
        RESTYLED_API_TOKEN: SECRET,
      },
    }),
    cells: {
      "env-variable": envVariable,
      "env-flag": envFlag,
      "duration-variable": { env: { DRAIN_TIMEOUT: BAD_DURATION }, names: "DRAIN_TIMEOUT" },
      "duration-flag": { argv: ["--drain-timeout", BAD_DURATION], names: "--drain-timeout" },
      "boolean-variable": { env: { REDIS_TLS_INSECURE: BAD_BOOLEAN }, names: "REDIS_TLS_INSECURE" },
      "boolean-flag": dryRunFlag,
      "url-variable": (s) => ({ env: { RESTYLED_URL: s.remote.url }, names: "RESTYLED_URL" }),
      "url-flag": (s) => ({ argv: ["--restyled-url", s.remote.url], names: "--restyled-url" }),
      "log-level": logLevel,
      // Without REDIS_URL the first thing a run needs is SSM: the region.
      "missing-region": { ...missingRegion, unset: ["AWS_REGION", "REDIS_URL"] },
    },
  },
  {
    pkg: "@restyled/check-redis-url",
    bin: "check-redis-url",
    base: (s) => ({
      argv: [],
      env: { RESTYLED_ENV: "prod", HEROKU_API_URL: s.loopback.url, HEROKU_APP: "restyled-io" },
    }),
    cells: {
      "env-variable": envVariable,
      "env-flag": envFlag,
      "duration-variable": { env: { ROLL_TIMEOUT: BAD_DURATION }, names: "ROLL_TIMEOUT" },
      "duration-flag": { argv: ["--roll-timeout", BAD_DURATION], names: "--roll-timeout" },
      "boolean-variable": { env: { REDIS_TLS_INSECURE: BAD_BOOLEAN }, names: "REDIS_TLS_INSECURE" },
      "boolean-flag": dryRunFlag,
      "url-variable": (s) => ({ env: { HEROKU_API_URL: s.remote.url }, names: "HEROKU_API_URL" }),
      "url-flag": (s) => ({ argv: ["--heroku-api-url", s.remote.url], names: "--heroku-api-url" }),
      "log-level": logLevel,
      "missing-region": missingRegion,
    },
  },
  {
    pkg: "@restyled/logdna-cloudwatch",
    bin: "logdna-cloudwatch",
    base: (s) => ({
      argv: ["redrive", "--queue-url", `${s.loopback.url}/000000000000/restyled-prod-failed`],
      env: {
        RESTYLED_ENV: "prod",
        LOGDNA_KEY: SECRET,
        LOGDNA_INGEST_URL: `${s.loopback.url}/logs/ingest`,
        LOGDNA_ALLOW_HTTP: "true",
      },
    }),
    cells: {
      "env-variable": envVariable,
      "env-flag": envFlag,
      "duration-variable": { na: "reads durations from flags only (--timeout)" },
      "duration-flag": { argv: ["--timeout", BAD_DURATION], names: "--timeout" },
      "boolean-variable": { env: { LOGDNA_ALLOW_HTTP: BAD_BOOLEAN }, names: "LOGDNA_ALLOW_HTTP" },
      "boolean-flag": dryRunFlag,
      // The opt-in for a loopback stand-in is not given: only the URL is wrong.
      "url-variable": (s) => ({
        env: { LOGDNA_INGEST_URL: `${s.remote.url}/logs/ingest` },
        unset: ["LOGDNA_ALLOW_HTTP"],
        names: "LOGDNA_INGEST_URL",
      }),
      "url-flag": { na: "the ingest URL is a variable only (LOGDNA_INGEST_URL)" },
      "log-level": logLevel,
      "missing-region": missingRegion,
    },
  },
  {
    pkg: "@restyled/cfn-stacks",
    bin: "restyled-stacks",
    base: () => ({ argv: ["outputs", "vpc"], env: { RESTYLED_ENV: "prod" } }),
    cells: {
      "env-variable": envVariable,
      "env-flag": envFlag,
      "duration-variable": { na: "reads durations from flags only (--request-timeout)" },
      "duration-flag": { argv: ["--request-timeout", BAD_DURATION], names: "--request-timeout" },
      "boolean-variable": { na: "reads booleans from flags only" },
      "boolean-flag": dryRunFlag,
      "url-variable": { na: "sends no token: AWS requests are signed, never carry the key" },
      "url-flag": { na: "sends no token: AWS requests are signed, never carry the key" },
      "log-level": logLevel,
      "missing-region": missingRegion,
    },
  },
];
