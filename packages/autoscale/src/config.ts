import { parseDuration } from "./duration.js";
import { ConfigError } from "./errors.js";
import { parseQueues, type QueueSpec } from "./queues.js";
import { DEFAULT_RECONCILE, type ReconcileSettings } from "./reconcile/settings.js";
import type { WebhooksServiceRef } from "./webhooks-service.js";

export const DEFAULT_QUEUES = "restyled:hooks:webhooks";
export const DEFAULT_JOBS_PER_MACHINE = 3;
export const DEFAULT_STABILIZATION = "3m";
export const DEFAULT_BOOT_DELAY = "3m";
export const DEFAULT_EXPECTED_JOB_DURATION = "1m";

/** Everything one autoscaling run needs, validated once at start. */
export interface AutoscaleConfig {
  environment: string;
  /** When absent, read from SSM `/restyled/{env}/redis-url` on every run (it may rotate). */
  redisUrl?: string;
  redisInsecureTls: boolean;
  queues: QueueSpec[];
  groupName: string;
  /** restyled.io's base URL; when absent, running jobs are not counted. */
  restyledUrl?: string;
  /** When absent (and restyledUrl is set), read from SSM `/restyled/{env}/restyled-api-token`. */
  restyledToken?: string;
  webhooks?: WebhooksServiceRef;
  jobsPerMachine: number;
  /**
   * Webhooks tasks per machine. A task runs one job at a time, so the default
   * is one task per job slot (the original ran 2 per machine: 1 → 2, 4 → 8).
   */
  tasksPerMachine: number;
  scaleInStabilizationMs: number;
  /** A new machine's launch to taking jobs; 0 sizes for every job at once. */
  bootDelayMs: number;
  /** A typical job's duration, to estimate the jobs a machine starts during a boot. */
  expectedJobDurationMs: number;
  /** The fleet's repair graces (reconcile/settings.ts). */
  reconcile: ReconcileSettings;
  dryRun: boolean;
}

/** Each grace's flag, variable and default (the defaults live in reconcile/settings.ts). */
const RECONCILE_OPTIONS = [
  ["boot-grace", "BOOT_GRACE", "bootGraceMs"],
  ["disabled-grace", "DISABLED_GRACE", "disabledGraceMs"],
  ["drain-timeout", "DRAIN_TIMEOUT", "drainTimeoutMs"],
  ["terminate-grace", "TERMINATE_GRACE", "terminateGraceMs"],
  ["launch-timeout", "LAUNCH_TIMEOUT", "launchTimeoutMs"],
] as const;

/** Values given on the command line; each wins over its environment variable. */
export interface ConfigFlags {
  env?: string;
  "redis-url"?: string;
  "redis-insecure-tls"?: boolean;
  queues?: string;
  group?: string;
  "restyled-url"?: string;
  "webhooks-cluster"?: string;
  "webhooks-service"?: string;
  "jobs-per-machine"?: string;
  "tasks-per-machine"?: string;
  "scale-in-stabilization"?: string;
  "boot-delay"?: string;
  "expected-job-duration"?: string;
  "boot-grace"?: string;
  "disabled-grace"?: string;
  "drain-timeout"?: string;
  "terminate-grace"?: string;
  "launch-timeout"?: string;
  "dry-run"?: boolean;
}

type Env = Record<string, string | undefined>;

/** Reads the configuration from flags and environment variables, naming the bad one on error. */
export function readConfig(env: Env, flags: ConfigFlags = {}): AutoscaleConfig {
  const pick = (flag: keyof ConfigFlags, variable: string) => {
    const fromFlag = flags[flag];
    if (typeof fromFlag === "string") return { value: fromFlag.trim(), what: `--${flag}` };
    const fromEnv = env[variable]?.trim();
    return { value: fromEnv || undefined, what: variable };
  };
  const required = (flag: keyof ConfigFlags, variable: string) => {
    const { value, what } = pick(flag, variable);
    if (!value) throw new ConfigError(`--${flag} or ${variable} is required`);
    return { value, what };
  };

  const environment = required("env", "RESTYLED_ENV").value;
  if (!/^[A-Za-z0-9_.-]+$/.test(environment)) {
    throw new ConfigError(
      `RESTYLED_ENV: "${environment}" may only hold letters, digits, _ . and -`,
    );
  }
  const queues = pick("queues", "RESTYLER_QUEUES");
  const restyled = pick("restyled-url", "RESTYLED_URL");
  const cluster = pick("webhooks-cluster", "WEBHOOKS_CLUSTER");
  const service = pick("webhooks-service", "WEBHOOKS_SERVICE");
  if (Boolean(cluster.value) !== Boolean(service.value)) {
    throw new ConfigError(
      "WEBHOOKS_CLUSTER and WEBHOOKS_SERVICE (--webhooks-cluster, --webhooks-service) go together: set both or neither",
    );
  }
  const redisUrl = pick("redis-url", "REDIS_URL");
  if (redisUrl.value) checkRedisUrl(redisUrl.value, redisUrl.what);
  const stabilization = pick("scale-in-stabilization", "SCALE_IN_STABILIZATION");
  const bootDelay = pick("boot-delay", "BOOT_DELAY");
  const jobDuration = pick("expected-job-duration", "EXPECTED_JOB_DURATION");
  const expectedJobDurationMs = parseDuration(
    jobDuration.value ?? DEFAULT_EXPECTED_JOB_DURATION,
    jobDuration.what,
  );
  if (expectedJobDurationMs < 1_000) {
    throw new ConfigError(`${jobDuration.what}: "${jobDuration.value}" must be at least 1s`);
  }
  const jobsPerMachine = positiveInteger(
    pick("jobs-per-machine", "JOBS_PER_MACHINE"),
    DEFAULT_JOBS_PER_MACHINE,
  );

  return {
    environment,
    redisUrl: redisUrl.value,
    redisInsecureTls: flags["redis-insecure-tls"] ?? isTrue(env.REDIS_TLS_INSECURE),
    queues: parseQueues(queues.value ?? DEFAULT_QUEUES, queues.what),
    groupName: required("group", "MACHINES_GROUP_NAME").value,
    restyledUrl: restyled.value ? checkRestyledUrl(restyled.value, restyled.what) : undefined,
    restyledToken: env.RESTYLED_API_TOKEN?.trim() || undefined,
    webhooks:
      cluster.value && service.value
        ? { cluster: cluster.value, service: service.value }
        : undefined,
    jobsPerMachine,
    tasksPerMachine: positiveInteger(
      pick("tasks-per-machine", "TASKS_PER_MACHINE"),
      jobsPerMachine,
    ),
    scaleInStabilizationMs: parseDuration(
      stabilization.value ?? DEFAULT_STABILIZATION,
      stabilization.what,
    ),
    bootDelayMs: parseDuration(bootDelay.value ?? DEFAULT_BOOT_DELAY, bootDelay.what),
    expectedJobDurationMs,
    reconcile: readReconcile(pick),
    dryRun: flags["dry-run"] ?? false,
  };
}

function readReconcile(
  pick: (flag: keyof ConfigFlags, variable: string) => { value?: string; what: string },
): ReconcileSettings {
  const settings = { ...DEFAULT_RECONCILE };
  for (const [flag, variable, key] of RECONCILE_OPTIONS) {
    const { value, what } = pick(flag, variable);
    if (value === undefined) continue;
    const ms = parseDuration(value, what);
    if (ms <= 0) throw new ConfigError(`${what}: "${value}" must be above 0`);
    settings[key] = ms;
  }
  return settings;
}

function isTrue(value: string | undefined): boolean {
  return ["1", "true", "yes"].includes(value?.trim().toLowerCase() ?? "");
}

function positiveInteger(picked: { value?: string; what: string }, fallback: number): number {
  if (picked.value === undefined) return fallback;
  if (!/^\d+$/.test(picked.value) || Number(picked.value) < 1) {
    throw new ConfigError(`${picked.what}: "${picked.value}" is not a positive integer`);
  }
  return Number(picked.value);
}

/**
 * The admin token goes to this URL on every run, so plain http is refused
 * unless the host is loopback (a local stand-in or tunnel): anywhere else the
 * token would cross the network in clear.
 */
function checkRestyledUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${what}: "${value}" is not a URL`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      `${what}: "${url.origin}" is plain http to a host that is not loopback; the admin token would travel in clear, so use https://`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`${what}: "${url.origin}" must be an https:// URL`);
  }
  return value.replace(/\/+$/, "");
}

/** localhost, 127.0.0.0/8 and ::1: the only hosts plain http may reach with the token. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function checkRedisUrl(value: string, what: string): void {
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    // Never echo the value: it may hold the Redis password.
    throw new ConfigError(`${what} is not a URL`);
  }
  if (protocol !== "redis:" && protocol !== "rediss:") {
    throw new ConfigError(`${what} must be a redis:// or rediss:// URL`);
  }
}
