import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { parseDuration } from "./duration.js";
import { ConfigError, UsageError } from "./errors.js";
import { isLogLevel, type LogLevel } from "./logger.js";
import { OPTION_SPECS, type OptionName, type OptionSpec } from "./options.js";

/** The agent's validated configuration, before anything is looked up (IMDS, SSM). */
export interface AgentConfig {
  env: string;
  queueUrl: string | undefined;
  certPath: string;
  /** `tcp://host:port`, or undefined to derive it from the public hostname. */
  dockerHost: string | undefined;
  restyledUrl: string;
  /** From `RESTYLED_API_TOKEN`; else read from SSM at start. */
  restyledToken: string | undefined;
  drainTimeoutMs: number;
  /** Undefined: derived from the hook's `HeartbeatTimeout`. */
  heartbeatIntervalMs: number | undefined;
  instanceId: string | undefined;
  publicHostname: string | undefined;
  region: string | undefined;
  relistIntervalMs: number;
  daemonCheckIntervalMs: number;
  retryDelayMs: number;
  retryAttempts: number;
  completionTimeoutMs: number;
  /** 0: housekeeping off. */
  pruneIntervalMs: number;
  tempMaxAgeMs: number;
  tempDir: string;
  logLevel: LogLevel;
  /** CloudWatch Logs group for the agent's own lines; undefined: stderr only. */
  logGroup?: string | undefined;
  /** Bound on the flush before each CompleteLifecycleAction (5 s when absent). */
  logFlushTimeoutMs?: number;
}

export type ReadConfigResult = { help: true } | { help: false; config: AgentConfig };

type Env = Record<string, string | undefined>;

/**
 * Reads flags (`argv` without node and script) with their environment
 * fallbacks, validates every value once and fails naming the flag or variable.
 */
export function readConfig(argv: string[], env: Env): ReadConfigResult {
  const options = Object.fromEntries(
    Object.values(OPTION_SPECS).map((spec: OptionSpec) => [spec.flag, { type: "string" as const }]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; see --help`, { cause: error });
  }
  if (values.help) return { help: true };

  const raw = (name: OptionName): { value: string; source: string } | undefined => {
    const spec: OptionSpec = OPTION_SPECS[name];
    const fromFlag = values[spec.flag];
    if (typeof fromFlag === "string") return { value: fromFlag, source: `--${spec.flag}` };
    const fromEnv = spec.env ? env[spec.env] : undefined;
    if (spec.env && fromEnv !== undefined && fromEnv !== "") {
      return { value: fromEnv, source: spec.env };
    }
    return undefined;
  };
  const string = (name: OptionName) => raw(name)?.value;
  const sourceOf = (name: OptionName) => {
    const spec: OptionSpec = OPTION_SPECS[name];
    return spec.env ? `--${spec.flag} (${spec.env})` : `--${spec.flag}`;
  };
  const duration = (name: OptionName, fallback?: string): number | undefined => {
    const given = raw(name);
    const text = given?.value ?? fallback;
    if (text === undefined) return undefined;
    const ms = parseDuration(text);
    if (ms === undefined) {
      throw new ConfigError(
        `${given?.source ?? sourceOf(name)}: "${text}" is not a duration (try 30s, 15m, 1h)`,
      );
    }
    return ms;
  };
  const positive = (name: OptionName, fallback: string): number => {
    const ms = duration(name, fallback)!;
    if (ms <= 0) throw new ConfigError(`${sourceOf(name)} must be longer than 0`);
    return ms;
  };

  const envName = string("env");
  if (!envName) throw new ConfigError(`${sourceOf("env")} is required`);
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(envName)) {
    throw new ConfigError(`${sourceOf("env")}: "${envName}" must be letters, digits and dashes`);
  }

  const logLevel = env.LOG_LEVEL?.toLowerCase() || "info";
  if (!isLogLevel(logLevel)) {
    throw new ConfigError(`LOG_LEVEL: "${env.LOG_LEVEL}" must be debug, info, warn or error`);
  }

  const queueUrl = string("queueUrl");
  if (queueUrl !== undefined) checkServiceUrl(queueUrl, sourceOf("queueUrl"));
  const restyledUrl = string("restyledUrl") ?? "https://restyled.io";
  checkServiceUrl(restyledUrl, sourceOf("restyledUrl"));

  const dockerHost = string("dockerHost");
  if (dockerHost !== undefined) checkDockerHost(dockerHost, sourceOf("dockerHost"));

  const instanceId = string("instanceId");
  if (instanceId !== undefined && !/^i-[0-9a-f]{8,17}$/.test(instanceId)) {
    throw new ConfigError(
      `--instance-id: "${instanceId}" is not an EC2 instance id (i-0123abcd...)`,
    );
  }
  const publicHostname = string("publicHostname");
  if (publicHostname !== undefined) checkHostname(publicHostname, "--public-hostname");

  const region = string("region");
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new ConfigError(`${sourceOf("region")}: "${region}" is not an AWS region`);
  }

  const attemptsText = string("retryAttempts") ?? "5";
  const retryAttempts = Number(attemptsText);
  if (!Number.isInteger(retryAttempts) || retryAttempts < 1 || retryAttempts > 100) {
    throw new ConfigError(`${sourceOf("retryAttempts")}: "${attemptsText}" must be 1 to 100`);
  }

  const heartbeatIntervalMs = duration("heartbeatInterval");
  if (heartbeatIntervalMs !== undefined && heartbeatIntervalMs <= 0) {
    throw new ConfigError(`${sourceOf("heartbeatInterval")} must be longer than 0`);
  }

  const logGroup = string("logGroup");
  if (logGroup !== undefined && !/^[.\-_/#A-Za-z0-9]{1,512}$/.test(logGroup)) {
    throw new ConfigError(
      `${raw("logGroup")?.source}: "${logGroup}" is not a log group name (letters, digits, . - _ / #)`,
    );
  }

  return {
    help: false,
    config: {
      env: envName,
      queueUrl,
      certPath: string("certPath") ?? "/etc/docker/certs/client",
      dockerHost,
      restyledUrl: restyledUrl.replace(/\/+$/, ""),
      restyledToken: env.RESTYLED_API_TOKEN || undefined,
      drainTimeoutMs: positive("drainTimeout", "15m"),
      heartbeatIntervalMs,
      instanceId,
      publicHostname,
      region,
      relistIntervalMs: positive("relistInterval", "30s"),
      daemonCheckIntervalMs: positive("daemonCheckInterval", "15s"),
      retryDelayMs: duration("retryDelay", "1s")!,
      retryAttempts,
      completionTimeoutMs: positive("completionTimeout", "2m"),
      pruneIntervalMs: duration("pruneInterval", "24h")!,
      tempMaxAgeMs: positive("tempMaxAge", "12h"),
      tempDir: string("tempDir") ?? tmpdir(),
      logLevel,
      logGroup,
      logFlushTimeoutMs: positive("logFlushTimeout", "5s"),
    },
  };
}

/** https only, except on loopback (local stand-ins and emulators). */
function checkServiceUrl(text: string, source: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${source}: "${text}" is not a URL`);
  }
  if (url.username || url.password) {
    throw new ConfigError(`${source}: credentials do not belong in the URL`);
  }
  if (url.protocol === "https:") return;
  if (url.protocol === "http:" && isLoopback(url.hostname)) return;
  throw new ConfigError(`${source}: "${url.origin}" must use https (http only on loopback)`);
}

export function isLoopback(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname) ||
    hostname === "[::1]"
  );
}

function checkDockerHost(text: string, source: string): void {
  const match = /^tcp:\/\/([^:/]+):(\d+)$/.exec(text);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) {
    throw new ConfigError(
      `${source}: "${text}" must be tcp://HOST:PORT (the daemon's mutual-TLS endpoint)`,
    );
  }
}

function checkHostname(text: string, source: string): void {
  if (
    !/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(text)
  ) {
    throw new ConfigError(`${source}: "${text}" is not a host name`);
  }
}
