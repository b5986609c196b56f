import { parseArgs } from "node:util";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { checkCredentials } from "./check.js";
import { type ConfigFlags, resolveConfig } from "./config.js";
import { exitCodeFor, SyncFailedError, UsageError } from "./errors.js";
import { createLogger, type Logger, parseLogLevel } from "./logger.js";
import { type Output, terminal } from "./output.js";
import { ssmClientConfig } from "./ssm.js";

export const HELP = `Usage: check-redis-url --env ENV [options]

Keeps SSM copies of the Heroku app's credential URLs (REDIS_URL, DATABASE_URL)
current. A changed URL is written only after it answered PING (Redis) or
SELECT 1 (PostgreSQL); then the ECS services that read it are redeployed.

Options:
  --env ENV                     environment (RESTYLED_ENV), required
  --app NAME                    Heroku app (HEROKU_APP, default restyled-io)
  --sync VAR=PARAMETER          a config var and its SSM parameter key or path; repeat
                                (SYNC_VARIABLES, comma-separated,
                                default REDIS_URL=redis-url,DATABASE_URL=database-url)
  --dry-run                     check and prove, write and roll nothing (DRY_RUN)
  --cluster NAME                ECS cluster whose services are rolled (ECS_CLUSTER)
  --roll-timeout DURATION       time the rolled services have to be steady (ROLL_TIMEOUT, default 10m)
  --heroku-api-key-parameter PATH
                                (HEROKU_API_KEY_PARAMETER, default /restyled/ENV/heroku-api-key)
  --heroku-api-url URL          (HEROKU_API_URL, default https://api.heroku.com)
  --allow-http                  allow a plain http --heroku-api-url (HEROKU_API_ALLOW_HTTP)
  --redis-ca-file FILE          extra CA (PEM) to trust for rediss:// (REDIS_TLS_CA_FILE)
  --insecure-skip-tls-verify    do not verify rediss:// certificates (REDIS_TLS_INSECURE)
  --postgres-ca-file FILE       extra CA (PEM) to trust for PostgreSQL (POSTGRES_TLS_CA_FILE)
  --postgres-insecure-skip-tls-verify
                                do not verify PostgreSQL certificates (POSTGRES_TLS_INSECURE)
  --ping-timeout DURATION       time a new URL has to answer (PING_TIMEOUT, default 5s)
  --region REGION               AWS region (AWS_REGION)
  -h, --help                    show this help

Prints {"results","rolled","dryRun"} as JSON on stdout; logs JSON lines on
stderr (LOG_LEVEL). Exit codes: 0 all matched/updated/created and rolled,
1 failure, 64 bad flag, 78 missing or invalid configuration.`;

export interface CliContext {
  env: Record<string, string | undefined>;
  output?: Output;
  /** Where log lines go (stderr by default). */
  writeLog?: (line: string) => void;
}

/** Runs the CLI and returns its exit code; the one place errors become exit codes. */
export async function main(argv: string[], context: CliContext): Promise<number> {
  const output = context.output ?? terminal;
  let logger: Logger = createLogger({ write: context.writeLog });
  try {
    const flags = parseFlags(argv);
    if (flags === "help") {
      output.out(HELP);
      return 0;
    }
    logger = createLogger({ level: parseLogLevel(context.env.LOG_LEVEL), write: context.writeLog });
    const config = resolveConfig(flags, context.env);
    const ssm = new SSMClient(ssmClientConfig({ region: config.region }));
    const ecs = config.cluster
      ? new ECSClient(ssmClientConfig({ region: config.region }))
      : undefined;
    try {
      const outcome = await checkCredentials(config, { ssm, ecs, logger });
      output.out(JSON.stringify(outcome));
      return 0;
    } finally {
      ssm.destroy();
      ecs?.destroy();
    }
  } catch (error) {
    // What was written and rolled before the failure is the operator's to know.
    if (error instanceof SyncFailedError) output.out(JSON.stringify(error.outcome));
    const message = error instanceof Error ? error.message : String(error);
    output.err(logger.scrub(`check-redis-url: ${message}`));
    if (error instanceof UsageError) output.err("Run check-redis-url --help for usage.");
    if (logger.level === "debug" && error instanceof Error && error.stack) {
      output.err(logger.scrub(error.stack));
    }
    return exitCodeFor(error);
  }
}

function parseFlags(argv: string[]): ConfigFlags | "help" {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        env: { type: "string" },
        app: { type: "string" },
        sync: { type: "string", multiple: true },
        "dry-run": { type: "boolean" },
        cluster: { type: "string" },
        "roll-timeout": { type: "string" },
        "postgres-ca-file": { type: "string" },
        "postgres-insecure-skip-tls-verify": { type: "boolean" },
        "heroku-api-key-parameter": { type: "string" },
        "heroku-api-url": { type: "string" },
        "allow-http": { type: "boolean" },
        "redis-ca-file": { type: "string" },
        "insecure-skip-tls-verify": { type: "boolean" },
        "ping-timeout": { type: "string" },
        region: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return "help";
  const { help: _help, ...flags } = values;
  return flags as ConfigFlags;
}
