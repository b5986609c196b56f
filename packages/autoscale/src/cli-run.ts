import { setTimeout as sleep } from "node:timers/promises";
import { requireRegion } from "@restyled/core/aws";
import { ExitCode, UsageError } from "@restyled/core/errors";
import { createLogger, type Logger, resolveLogLevel } from "@restyled/core/logger";
import { type AwsClients, createAwsClients } from "./clients.js";
import { readOptions, toConfig } from "./config.js";
import type { Output } from "./output.js";
import { type DecisionRecord, runOnce } from "./run-once.js";

export interface RunDependencies {
  env?: Record<string, string | undefined>;
  clients?: AwsClients;
  logger?: Logger;
  /** Stops an --interval loop after its current run (the first SIGINT/SIGTERM, or a test). */
  stop?: AbortSignal;
}

/** `restyled-autoscale [--once | --interval D] [--dry-run]`. */
export async function runCommand(
  argv: string[],
  output: Output,
  dependencies: RunDependencies = {},
): Promise<number> {
  const env = dependencies.env ?? process.env;
  // A usage error in the command line is reported before any missing variable.
  if (
    argv.includes("--once") &&
    argv.some((a) => a === "--interval" || a.startsWith("--interval="))
  ) {
    throw new UsageError("--once and --interval exclude each other");
  }
  const options = readOptions({ argv, env });
  const config = toConfig(options);
  const logger =
    dependencies.logger ??
    createLogger({ name: "restyled-autoscale", level: resolveLogLevel(env) });
  const clients = dependencies.clients ?? createAwsClients({ region: options.region, logger });
  // No region is a configuration error of the whole run, told once at start
  // (not as a failed read in every decision record of an --interval loop).
  await requireRegion(clients.autoScaling, { call: "autoscaling:DescribeAutoScalingGroups" });

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

  if (options.intervalMs === undefined) {
    const record = await runAndPrint();
    if (!record.error) return ExitCode.ok;
    return record.error.name === "ConfigError" ? ExitCode.config : ExitCode.failure;
  }
  const stop = dependencies.stop ?? new AbortController().signal;
  // A failed run is logged and retried on the next tick: a Redis blip must not stop the loop.
  while (!stop.aborted) {
    await runAndPrint();
    await sleep(options.intervalMs, undefined, { signal: stop }).catch(() => undefined);
  }
  logger.info("stopped after the run in progress");
  return ExitCode.ok;
}
