import {
  DEFAULT_RESTYLER_QUEUES,
  parseRestylerQueues,
  type QueueSpec,
} from "@restyled/core/contract";
import { formatDuration, parseDuration } from "@restyled/core/duration";
import { ConfigError } from "@restyled/core/errors";
import {
  boolean,
  defineOptions,
  duration,
  environmentName,
  httpsUrl,
  integer,
  type OptionValues,
  type Parser,
  parseOptions,
  redisUrl,
  string,
} from "@restyled/core/options";
import { DEFAULT_POLICY_SETTINGS } from "./policy.js";
import type { ReconcileSettings } from "./reconcile/settings.js";
import { DEFAULT_RECONCILE } from "./reconcile/settings.js";
import { DEFAULT_WARM_POOL_SIZING, type WarmPoolSizing } from "./warm-pool-target.js";
import type { WebhooksServiceRef } from "./webhooks-service.js";

export type { QueueSpec };

/** Everything one autoscaling run needs, validated once at start. */
export interface AutoscaleConfig {
  environment: string;
  /** When absent, read from SSM `/restyled/{env}/redis-url` on every run (it may rotate). */
  redisUrl?: string;
  redisInsecureTls: boolean;
  queues: QueueSpec[];
  groupName: string;
  /** restyled.io's base URL; when absent, running jobs are not counted and nothing is reconciled. */
  restyledUrl?: string;
  /** When absent (and restyledUrl is set), read from SSM `/restyled/{env}/restyled-api-token`. */
  restyledToken?: string;
  webhooks?: WebhooksServiceRef;
  jobsPerMachine: number;
  /** Webhooks tasks per machine: one per job slot by default (the original ran 2 per machine). */
  tasksPerMachine: number;
  scaleInStabilizationMs: number;
  /** A new machine's launch to taking jobs; 0 sizes for every job at once. */
  bootDelayMs: number;
  /** A typical job's duration, to estimate the jobs a machine starts during a boot. */
  expectedJobDurationMs: number;
  /** A warm pool instance's start to taking jobs; used while DescribeWarmPool shows instances ready. */
  warmStartMs: number;
  /** The scale-in window while the warm pool has instances ready (default: the warm start). */
  warmScaleInStabilizationMs: number;
  /**
   * How this tool sizes the group's warm pool (warm-pool-target.ts); null:
   * it leaves the size to the pool's own setting (AWS's default: MaxSize - desired).
   */
  warmPoolSizing: WarmPoolSizing | null;
  /** The fleet's repair graces (reconcile/settings.ts). */
  reconcile: ReconcileSettings;
  dryRun: boolean;
}

const queues: Parser<QueueSpec[]> = Object.assign((text: string) => parseRestylerQueues(text), {
  metavar: "NAME[/WEIGHT],…",
});
const atLeastOneSecond: Parser<number> = Object.assign(
  (text: string) => {
    const ms = parseDuration(text);
    if (ms < 1_000) throw new Error(`${JSON.stringify(text)} must be at least 1s`);
    return ms;
  },
  { metavar: "DURATION" },
);
const positiveDuration: Parser<number> = Object.assign(
  (text: string) => {
    const ms = parseDuration(text);
    if (ms <= 0) throw new Error(`${JSON.stringify(text)} must be above 0`);
    return ms;
  },
  { metavar: "DURATION" },
);
const ms = (value: number) => formatDuration(value);
const sizingMode: Parser<"peak" | "aws-default"> = Object.assign(
  (text: string) => {
    if (text !== "peak" && text !== "aws-default") {
      throw new Error(`${JSON.stringify(text)} must be peak or aws-default`);
    }
    return text;
  },
  { metavar: "peak|aws-default" },
);
// The peaks live in one tag value (256 characters): up to 48 hourly buckets.
const peakWindow: Parser<number> = Object.assign(
  (text: string) => {
    const value = parseDuration(text);
    if (value < 3_600_000 || value > 48 * 3_600_000) {
      throw new Error(`${JSON.stringify(text)} must be between 1h and 48h`);
    }
    return value;
  },
  { metavar: "DURATION" },
);

/** The run command's options: flag, variable, default and parser, one row each (also its --help). */
export const RUN_OPTIONS = defineOptions([
  // Command-line switches first: a bad one is reported (64) before a missing variable (78).
  { key: "once", flag: "once", parse: boolean, description: "run once and exit (the default)" },
  {
    key: "intervalMs",
    flag: "interval",
    parse: atLeastOneSecond,
    description: "run every DURATION until SIGINT/SIGTERM",
  },
  {
    key: "dryRun",
    flag: "dry-run",
    parse: boolean,
    default: "false",
    description: "decide and explain, change nothing (no scaling, no repairs, no tags, no metric)",
  },
  {
    key: "environment",
    flag: "env",
    env: "RESTYLED_ENV",
    parse: environmentName,
    required: true,
    description: "restyled environment, for SSM names, machine names and metrics",
  },
  {
    key: "groupName",
    flag: "group",
    env: "MACHINES_GROUP_NAME",
    parse: string,
    required: true,
    description: "the machines Auto Scaling group",
  },
  {
    key: "redisUrl",
    flag: "redis-url",
    env: "REDIS_URL",
    parse: redisUrl,
    secret: true,
    description:
      "redis:// or rediss://; else SSM /restyled/{env}/redis-url on every run (prefer the variable: a flag shows in the process list)",
  },
  {
    key: "redisInsecureTls",
    flag: "redis-insecure-tls",
    env: "REDIS_TLS_INSECURE",
    parse: boolean,
    default: "false",
    description: "do not verify a rediss:// certificate (Heroku's are self-signed); logged",
  },
  {
    key: "queues",
    flag: "queues",
    env: "RESTYLER_QUEUES",
    parse: queues,
    default: DEFAULT_RESTYLER_QUEUES,
    description: "restyled.io's queues; depth is the sum over all",
  },
  {
    key: "restyledUrl",
    flag: "restyled-url",
    env: "RESTYLED_URL",
    parse: httpsUrl,
    description:
      "restyled.io, to count running jobs and reconcile machines (https; http only to loopback)",
  },
  {
    key: "restyledToken",
    env: "RESTYLED_API_TOKEN",
    parse: string,
    secret: true,
    description: "admin API token; else SSM /restyled/{env}/restyled-api-token",
  },
  {
    key: "webhooksCluster",
    flag: "webhooks-cluster",
    env: "WEBHOOKS_CLUSTER",
    parse: string,
    description: "ECS cluster of the Webhooks service",
  },
  {
    key: "webhooksService",
    flag: "webhooks-service",
    env: "WEBHOOKS_SERVICE",
    parse: string,
    description: "the Webhooks service, scaled in step",
  },
  {
    key: "jobsPerMachine",
    flag: "jobs-per-machine",
    env: "JOBS_PER_MACHINE",
    parse: integer({ min: 1 }),
    default: String(DEFAULT_POLICY_SETTINGS.jobsPerMachine),
    description: "concurrent jobs per machine",
  },
  {
    key: "tasksPerMachine",
    flag: "tasks-per-machine",
    env: "TASKS_PER_MACHINE",
    parse: integer({ min: 1 }),
    description: "Webhooks tasks per machine (default: jobs per machine)",
  },
  {
    key: "scaleInStabilizationMs",
    flag: "scale-in-stabilization",
    env: "SCALE_IN_STABILIZATION",
    parse: duration,
    default: "3m",
    description: "how long demand must stay low before an idle machine goes",
  },
  {
    key: "bootDelayMs",
    flag: "boot-delay",
    env: "BOOT_DELAY",
    parse: duration,
    default: "3m",
    description: "a new machine's launch to taking jobs; 0s sizes for every job at once",
  },
  {
    key: "expectedJobDurationMs",
    flag: "expected-job-duration",
    env: "EXPECTED_JOB_DURATION",
    parse: atLeastOneSecond,
    default: "1m",
    description: "a typical job, to count the jobs a machine starts during a boot (at least 1s)",
  },
  {
    key: "warmStartMs",
    flag: "warm-start",
    env: "WARM_START",
    parse: duration,
    default: "1m",
    description:
      "a warm pool instance's start to taking jobs; replaces --boot-delay while the pool has instances ready",
  },
  {
    key: "warmScaleInStabilizationMs",
    flag: "warm-scale-in-stabilization",
    env: "WARM_SCALE_IN_STABILIZATION",
    parse: duration,
    description:
      "the scale-in window while the warm pool has instances ready (default: --warm-start)",
  },
  {
    key: "warmPoolSizing",
    flag: "warm-pool-sizing",
    env: "WARM_POOL_SIZING",
    parse: sizingMode,
    default: "peak",
    description:
      "peak: set the warm pool's MaxGroupPreparedCapacity (group + pool) to the last --warm-pool-peak-window's highest desired count + --warm-pool-headroom, so the pool holds that minus desired (AWS's default until a window of history); aws-default: leave its size alone",
  },
  {
    key: "warmPoolPeakWindowMs",
    flag: "warm-pool-peak-window",
    env: "WARM_POOL_PEAK_WINDOW",
    parse: peakWindow,
    default: ms(DEFAULT_WARM_POOL_SIZING.windowMs),
    description:
      "how far back the warm pool's peak is taken (1h to 48h; a day carries the daily pattern)",
  },
  {
    key: "warmPoolHeadroom",
    flag: "warm-pool-headroom",
    env: "WARM_POOL_HEADROOM",
    parse: integer({ min: 0 }),
    default: String(DEFAULT_WARM_POOL_SIZING.headroom),
    description: "instances the warm pool keeps ready beyond the peak",
  },
  {
    key: "bootGraceMs",
    flag: "boot-grace",
    env: "BOOT_GRACE",
    parse: positiveDuration,
    default: ms(DEFAULT_RECONCILE.bootGraceMs),
    description:
      "an instance in service this long after launch must have an enabled machine, else it is replaced",
  },
  {
    key: "disabledGraceMs",
    flag: "disabled-grace",
    env: "DISABLED_GRACE",
    parse: positiveDuration,
    default: ms(DEFAULT_RECONCILE.disabledGraceMs),
    description: "a machine disabled this long on an in-service instance gets it replaced",
  },
  {
    key: "drainTimeoutMs",
    flag: "drain-timeout",
    env: "DRAIN_TIMEOUT",
    parse: positiveDuration,
    default: ms(DEFAULT_RECONCILE.drainTimeoutMs),
    description: "the agent's drain timeout",
  },
  {
    key: "terminateGraceMs",
    flag: "terminate-grace",
    env: "TERMINATE_GRACE",
    parse: positiveDuration,
    default: ms(DEFAULT_RECONCILE.terminateGraceMs),
    description:
      "after drain timeout + this, a waiting termination whose agent is gone is completed",
  },
  {
    key: "launchTimeoutMs",
    flag: "launch-timeout",
    env: "LAUNCH_TIMEOUT",
    parse: positiveDuration,
    default: ms(DEFAULT_RECONCILE.launchTimeoutMs),
    description: "a launch not in service after this is reported stuck (StuckLaunches metric)",
  },
  {
    key: "region",
    flag: "region",
    env: "AWS_REGION",
    parse: string,
    description: "AWS region (else the SDK's default)",
  },
] as const);

export type RunOptions = OptionValues<typeof RUN_OPTIONS>;

/** Parses the command line and the environment (flags win), naming the bad flag or variable. */
export function readOptions(input: {
  argv?: readonly string[];
  env: Record<string, string | undefined>;
}): RunOptions {
  return parseOptions(RUN_OPTIONS, { argv: input.argv ?? [], env: input.env });
}

/** The run's configuration from parsed options. */
export function toConfig(options: RunOptions): AutoscaleConfig {
  if (Boolean(options.webhooksCluster) !== Boolean(options.webhooksService)) {
    throw new ConfigError(
      "WEBHOOKS_CLUSTER and WEBHOOKS_SERVICE (--webhooks-cluster, --webhooks-service) go together: set both or neither",
    );
  }
  return {
    environment: options.environment,
    redisUrl: options.redisUrl,
    redisInsecureTls: options.redisInsecureTls,
    queues: options.queues,
    groupName: options.groupName,
    restyledUrl: options.restyledUrl,
    restyledToken: options.restyledToken,
    webhooks:
      options.webhooksCluster && options.webhooksService
        ? { cluster: options.webhooksCluster, service: options.webhooksService }
        : undefined,
    jobsPerMachine: options.jobsPerMachine,
    tasksPerMachine: options.tasksPerMachine ?? options.jobsPerMachine,
    scaleInStabilizationMs: options.scaleInStabilizationMs,
    bootDelayMs: options.bootDelayMs,
    expectedJobDurationMs: options.expectedJobDurationMs,
    warmStartMs: options.warmStartMs,
    warmScaleInStabilizationMs: options.warmScaleInStabilizationMs ?? options.warmStartMs,
    warmPoolSizing:
      options.warmPoolSizing === "peak"
        ? { windowMs: options.warmPoolPeakWindowMs, headroom: options.warmPoolHeadroom }
        : null,
    reconcile: {
      ...DEFAULT_RECONCILE,
      bootGraceMs: options.bootGraceMs,
      disabledGraceMs: options.disabledGraceMs,
      drainTimeoutMs: options.drainTimeoutMs,
      terminateGraceMs: options.terminateGraceMs,
      launchTimeoutMs: options.launchTimeoutMs,
    },
    dryRun: options.dryRun,
  };
}

/** Reads the configuration from variables (and flags, which win). */
export function readConfig(
  env: Record<string, string | undefined>,
  argv: readonly string[] = [],
): AutoscaleConfig {
  return toConfig(readOptions({ argv, env }));
}
