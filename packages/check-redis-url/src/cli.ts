import { parseArgs } from "node:util";
import { SSMClient } from "@aws-sdk/client-ssm";
import { checkRedisUrl } from "./check.js";
import { type ConfigFlags, resolveConfig } from "./config.js";
import { exitCodeFor, UsageError } from "./errors.js";
import { createLogger, type Logger, parseLogLevel } from "./logger.js";
import { type Output, terminal } from "./output.js";
import { ssmClientConfig } from "./ssm.js";

export const HELP = `Usage: check-redis-url --env ENV [options]

Keeps the SSM parameter /restyled/ENV/redis-url equal to the Heroku app's
REDIS_URL. A changed URL is written only after it answered PING.

Options:
  --env ENV                     environment (RESTYLED_ENV), required
  --app NAME                    Heroku app (HEROKU_APP, default restyled-io)
  --config-var NAME             Heroku config var (HEROKU_CONFIG_VAR, default REDIS_URL)
  --dry-run                     check and PING, write nothing (DRY_RUN)
  --redis-url-parameter PATH    (REDIS_URL_PARAMETER, default /restyled/ENV/redis-url)
  --heroku-api-key-parameter PATH
                                (HEROKU_API_KEY_PARAMETER, default /restyled/ENV/heroku-api-key)
  --heroku-api-url URL          (HEROKU_API_URL, default https://api.heroku.com)
  --allow-http                  allow a plain http --heroku-api-url (HEROKU_API_ALLOW_HTTP)
  --redis-ca-file FILE          extra CA (PEM) to trust for rediss:// (REDIS_TLS_CA_FILE)
  --insecure-skip-tls-verify    do not verify rediss:// certificates (REDIS_TLS_INSECURE)
  --ping-timeout DURATION       time the new URL has to answer PING (PING_TIMEOUT, default 5s)
  --region REGION               AWS region (AWS_REGION)
  -h, --help                    show this help

Prints {"result","version","url","dryRun"} as JSON on stdout; logs JSON lines
on stderr (LOG_LEVEL). Exit codes: 0 matched/updated/created, 1 failure,
64 bad flag, 78 missing or invalid configuration.`;

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
    try {
      const outcome = await checkRedisUrl(config, { ssm, logger });
      output.out(JSON.stringify(outcome));
      return 0;
    } finally {
      ssm.destroy();
    }
  } catch (error) {
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
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        env: { type: "string" },
        app: { type: "string" },
        "config-var": { type: "string" },
        "dry-run": { type: "boolean" },
        "redis-url-parameter": { type: "string" },
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
