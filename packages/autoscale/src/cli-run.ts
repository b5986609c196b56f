import { EXIT, parseFlags } from "./cli-flags.js";
import { type AwsClients, createAwsClients } from "./clients.js";
import { type ConfigFlags, readConfig } from "./config.js";
import { parseDuration } from "./duration.js";
import { UsageError } from "./errors.js";
import { RUN_HELP } from "./help.js";
import { createLogger, type Logger } from "./logger.js";
import type { Output } from "./output.js";
import { type DecisionRecord, runOnce } from "./run-once.js";
import { onShutdown, sleep } from "./signals.js";

const FLAGS = {
  env: { type: "string" },
  group: { type: "string" },
  "redis-url": { type: "string" },
  "redis-insecure-tls": { type: "boolean" },
  queues: { type: "string" },
  "restyled-url": { type: "string" },
  "webhooks-cluster": { type: "string" },
  "webhooks-service": { type: "string" },
  "jobs-per-machine": { type: "string" },
  "tasks-per-machine": { type: "string" },
  "scale-in-stabilization": { type: "string" },
  "boot-delay": { type: "string" },
  "expected-job-duration": { type: "string" },
  "boot-grace": { type: "string" },
  "disabled-grace": { type: "string" },
  "drain-timeout": { type: "string" },
  "terminate-grace": { type: "string" },
  "launch-timeout": { type: "string" },
  region: { type: "string" },
  once: { type: "boolean" },
  interval: { type: "string" },
  "dry-run": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export interface RunDependencies {
  env?: Record<string, string | undefined>;
  clients?: AwsClients;
  logger?: Logger;
  /** Stops an --interval loop (tests); signals do it otherwise. */
  stop?: AbortSignal;
}

/** `restyled-autoscale [--once | --interval D] [--dry-run]`. */
export async function runCommand(
  argv: string[],
  output: Output,
  dependencies: RunDependencies = {},
): Promise<number> {
  const { values } = parseFlags(argv, FLAGS);
  if (values.help) {
    output.out(RUN_HELP);
    return EXIT.ok;
  }
  if (values.once && values.interval) {
    throw new UsageError("--once and --interval exclude each other");
  }
  const intervalMs = values.interval ? parseUsage(values.interval, "--interval") : undefined;
  const env = dependencies.env ?? process.env;
  const config = readConfig(env, values as ConfigFlags);
  const logger = dependencies.logger ?? createLogger();
  const clients =
    dependencies.clients ?? createAwsClients({ region: values.region ?? env.AWS_REGION });

  const runAndPrint = async (): Promise<DecisionRecord> => {
    const record = await runOnce({ config, clients, logger });
    output.out(JSON.stringify(record));
    if (record.error) logger.error("autoscale run failed", { error: record.error });
    else
      logger.info(config.dryRun ? "dry run: would do" : "decided", {
        action: record.action,
        desired: record.desired,
        reason: record.reason,
      });
    return record;
  };

  if (intervalMs === undefined) {
    const record = await runAndPrint();
    if (!record.error) return EXIT.ok;
    return record.error.name === "ConfigError" ? EXIT.config : EXIT.failed;
  }

  const stopping = new AbortController();
  dependencies.stop?.addEventListener("abort", () => stopping.abort());
  const removeHandlers = onShutdown(() => {
    logger.info("stopping after this run");
    stopping.abort();
  });
  try {
    // A failed run is logged and retried on the next tick: a Redis blip must not stop the loop.
    while (!stopping.signal.aborted) {
      await runAndPrint();
      await sleep(intervalMs, stopping.signal);
    }
  } finally {
    removeHandlers();
  }
  return EXIT.ok;
}

function parseUsage(value: string, what: string): number {
  const ms = (() => {
    try {
      return parseDuration(value, what);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  if (ms < 1_000) throw new UsageError(`${what}: "${value}" is too short; use at least 1s`);
  return ms;
}
