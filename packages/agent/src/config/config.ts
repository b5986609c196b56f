import { tmpdir } from "node:os";
import type { LogLevel } from "@restyled/core/logger";
import { resolveLogLevel } from "@restyled/core/logger";
import { parseOptions } from "@restyled/core/options";
import { OPTIONS } from "./options.js";

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
  /** How long Docker and restyled.io must both show no job before a drain ends. */
  drainSettleMs: number;
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
  logGroup: string | undefined;
  /** Bound on the flush before each CompleteLifecycleAction. */
  logFlushTimeoutMs: number;
}

/**
 * Reads flags (`argv` without node and script) with their environment
 * fallbacks, validates every value once and fails naming the flag (64) or
 * the variable (78).
 */
export function readConfig(argv: string[], env: Record<string, string | undefined>): AgentConfig {
  const { positionals: _, ...values } = parseOptions(OPTIONS, { argv, env });
  return {
    ...values,
    tempDir: values.tempDir ?? tmpdir(),
    logLevel: resolveLogLevel(env),
  };
}
