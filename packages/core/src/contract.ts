/**
 * The names and shapes shared with restyled.io and the stacks
 * (ARCHITECTURE.md, "Contract with restyled.io"). Keep them exact.
 */

/** The stacks' `AllowedPattern` for the `Environment` parameter. */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,30}$/;

/**
 * Checks an environment name against the stacks' pattern, so a name every
 * tool accepts can also be a stack. Throws a plain `Error` naming the rule.
 */
export function parseEnvironmentName(text: string): string {
  const name = text.trim();
  if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
    throw new Error(
      `${JSON.stringify(text.slice(0, 40))} is not an environment name (a lowercase letter, then up to 30 lowercase letters, digits or dashes, as the stacks require)`,
    );
  }
  return name;
}

/** The SSM parameters restyled.io's deployment keeps under `/restyled/{env}/`. */
export const SSM_KEYS = {
  redisUrl: "redis-url",
  herokuApiKey: "heroku-api-key",
  restyledApiToken: "restyled-api-token",
  logdnaKey: "logdna-key",
  databaseUrl: "database-url",
  githubAppId: "github-app-id",
  githubAppKey: "github-app-key",
  githubRateLimitToken: "github-rate-limit-token",
} as const;

export type SsmKey = (typeof SSM_KEYS)[keyof typeof SSM_KEYS];

/** `/restyled/{env}/{key}`: the SSM name of one of an environment's parameters. */
export function parameterName(env: string, key: SsmKey): string {
  return `/restyled/${env}/${key}`;
}

/** The job queue restyled.io pushes webhooks onto. */
export const WEBHOOKS_QUEUE = "restyled:hooks:webhooks";
/** The queue later deployments use. */
export const AGENT_WEBHOOKS_QUEUE = "restyled:agent:webhooks";
/** `RESTYLER_QUEUES` when unset. */
export const DEFAULT_RESTYLER_QUEUES = WEBHOOKS_QUEUE;

export interface QueueSpec {
  name: string;
  /** restyled.io's dequeue weight (default 1); depth counts every queue whatever its weight. */
  weight: number;
}

/**
 * Parses restyled.io's `RESTYLER_QUEUES` format, `name[/weight],…`, such as
 * `restyled:hooks:webhooks/2,restyled:agent:webhooks`. Throws a plain `Error`.
 */
export function parseRestylerQueues(text: string): QueueSpec[] {
  const queues: QueueSpec[] = [];
  for (const [index, raw] of text.split(",").entries()) {
    const item = raw.trim();
    if (item === "") throw new Error(`entry ${index + 1} is empty (expected name[/weight],…)`);
    const slash = item.lastIndexOf("/");
    const name = (slash === -1 ? item : item.slice(0, slash)).trim();
    const weight = slash === -1 ? "1" : item.slice(slash + 1).trim();
    if (name === "" || /\s/.test(name)) throw new Error(`"${item}" has no valid queue name`);
    if (!/^\d+$/.test(weight) || Number(weight) < 1) {
      throw new Error(`"${item}" has weight "${weight}", not a positive integer`);
    }
    if (queues.some((queue) => queue.name === name)) {
      throw new Error(`queue "${name}" is listed twice`);
    }
    queues.push({ name, weight: Number(weight) });
  }
  return queues;
}

/** `restyled-{env}-{instance-id}`: a machine's registry name, unique over time. */
export function machineName(env: string, instanceId: string): string {
  return `restyled-${env}-${instanceId}`;
}

/** The port of a machine's mutual-TLS dockerd. */
export const DOCKER_TLS_PORT = 2376;

/** `tcp://{public-hostname}:2376`: a machine's `host` in the registry. */
export function machineHost(publicHostname: string): string {
  return `tcp://${publicHostname}:${DOCKER_TLS_PORT}`;
}

/** `restyled/{env}/{app}`: the CloudWatch log group of one of an environment's apps. */
export function logGroupName(env: string, app: string): string {
  return `restyled/${env}/${app}`;
}

/** `restyled-machine-{env}-launching|terminating`: the machines group's lifecycle hooks. */
export function lifecycleHookName(env: string, transition: "launching" | "terminating"): string {
  return `restyled-machine-${env}-${transition}`;
}

/** The CloudWatch metric of queue depth: namespace, name, unit and dimension names. */
export const QUEUE_DEPTH_METRIC = {
  namespace: "Restyled",
  name: "QueueDepth",
  unit: "Count",
  dimensions: { environment: "Environment", queueName: "QueueName" },
} as const;

/** restyled.io's base URL. */
export const DEFAULT_RESTYLED_URL = "https://restyled.io";
