import { ECSClient } from "@aws-sdk/client-ecs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { awsClientConfig, requireRegion } from "@restyled/core/aws";
import { runMain } from "@restyled/core/cli";
import type { LogStream } from "@restyled/core/logger";
import { formatHelp } from "@restyled/core/options";
import { checkCredentials } from "./check.js";
import { resolveConfig } from "./config.js";
import { SyncFailedError } from "./errors.js";
import { OPTIONS } from "./options.js";
import { VERSION } from "./version.js";

export const HELP = formatHelp(OPTIONS, {
  usage: "check-redis-url --env ENV [options]",
  description: `Keeps the SSM copies of the Heroku app's credential URLs (REDIS_URL,
DATABASE_URL) current. A changed URL is written only after it answered PING
(Redis) or SELECT 1 (PostgreSQL); then the ECS services whose task
definitions read it get a new deployment, and the run waits until they are
steady.`,
  footer: `Prints {"results","rolled","dryRun"} as JSON on stdout; logs JSON lines on
stderr (LOG_LEVEL). Exit codes: 0 every URL current and its readers steady,
1 failure, 64 bad flag, 69 AWS or Heroku unreachable or throttling,
78 missing or invalid configuration.`,
});

export interface CliContext {
  env: Record<string, string | undefined>;
  /** Default `process.stdout`: the outcome as one JSON line. */
  stdout?: LogStream;
  /** Default `process.stderr`: log lines and the one-line error. */
  stderr?: LogStream;
}

/** Runs the CLI and resolves to its exit code; errors become exit codes in runMain. */
export function main(argv: string[], context: CliContext): Promise<number> {
  return runMain({
    name: "check-redis-url",
    version: VERSION,
    help: HELP,
    argv,
    env: context.env,
    ...(context.stdout ? { stdout: context.stdout } : {}),
    ...(context.stderr ? { stderr: context.stderr } : {}),
    async run({ argv, env, logger, signal, stdout }) {
      const config = resolveConfig(argv, env);
      const settings = awsClientConfig({ region: config.region, logger });
      const ssm = new SSMClient(settings);
      const ecs = config.cluster ? new ECSClient(settings) : undefined;
      try {
        // No region fails at start, in one line, before any work is announced.
        await requireRegion(ssm, { call: "ssm:GetParameter" });
        const outcome = await checkCredentials(config, { ssm, ecs, logger, signal });
        stdout.write(`${JSON.stringify(outcome)}\n`);
      } catch (error) {
        // What was written and rolled before the failure is the operator's to know.
        if (error instanceof SyncFailedError) stdout.write(`${JSON.stringify(error.outcome)}\n`);
        throw error;
      } finally {
        ssm.destroy();
        ecs?.destroy();
      }
    },
  });
}
