import { parseArgs } from "node:util";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { S3Client } from "@aws-sdk/client-s3";
import { interruptibleSleep } from "./cloudformation/events.js";
import { deleteCommand } from "./commands/delete.js";
import { deployCommand } from "./commands/deploy.js";
import { diffCommand } from "./commands/diff.js";
import { outputsCommand } from "./commands/outputs.js";
import { validateCommand } from "./commands/validate.js";
import type { Context } from "./context.js";
import {
  asConfigError,
  CancelledError,
  ConfigError,
  InterruptedError,
  UsageError,
} from "./errors.js";
import { runCommand } from "./lambda-code.js";
import { createLogger, logLevelFromEnv } from "./logger.js";
import { createOutput } from "./output.js";
import { parseParamFlags } from "./parameters.js";
import { confirmOnTerminal } from "./prompt.js";
import { resolveStacksDir } from "./workspace.js";

export const HELP = `restyled-stacks: validate, preview and deploy the Restyled CloudFormation stacks

Usage:
  restyled-stacks validate [STACK...]
  restyled-stacks diff STACK --env ENV [--param KEY=VALUE...]
  restyled-stacks deploy STACK --env ENV [--param KEY=VALUE...] [--yes] [--dry-run]
  restyled-stacks outputs STACK --env ENV [--json]
  restyled-stacks delete STACK --env ENV [--yes] [--dry-run]

Stacks are the templates in stacks/ (vpc, iam, services, machines, ops), deployed
as restyled-ENV-STACK. Deploy in that order: later stacks import earlier exports.

Options:
  -e, --env ENV          environment, e.g. prod (env RESTYLED_ENV)
  -p, --param KEY=VALUE  set a template parameter; repeatable. Parameters not named
                         keep their previous values on an existing stack
      --code-bucket NAME S3 bucket for Lambda code (env RESTYLED_CODE_BUCKET;
                         default: the stack's current CodeBucket)
      --skip-build       use the Lambda zips already built instead of building them
  -y, --yes              deploy or delete without asking
      --dry-run          deploy: show the change set and stop (same as diff);
                         delete: show what would be deleted
      --json             outputs: print a JSON object
      --region REGION    AWS region (env AWS_REGION)
      --stacks-dir DIR   the templates (default: stacks/ of the enclosing workspace)
  -h, --help             show this help

Exit codes: 0 done (or no changes), 1 failed or cancelled, 64 bad usage,
78 missing configuration, 130 interrupted. LOG_LEVEL=debug shows stack traces.
`;

const COMMANDS = new Set(["validate", "diff", "deploy", "outputs", "delete"]);
const ENV_PATTERN = /^[a-z][a-z0-9-]{0,30}$/;

export interface CliDeps extends Partial<Context> {
  /** Aborted on Ctrl-C; waits end early so prepared change sets are cleaned up. */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Where errors are printed: one line each. */
  printError?: (line: string) => void;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        env: { type: "string", short: "e" },
        param: { type: "string", short: "p", multiple: true },
        "code-bucket": { type: "string" },
        "skip-build": { type: "boolean", default: false },
        yes: { type: "boolean", short: "y", default: false },
        "dry-run": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        region: { type: "string" },
        "stacks-dir": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Runs one command and returns its exit code: the one place errors become codes. */
export async function runCli(argv: string[], deps: CliDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const printError = deps.printError ?? ((line: string) => console.error(line));
  const logger = deps.logger ?? createLogger({ level: logLevelFromEnv(env) });
  const out = deps.out ?? createOutput();
  try {
    const { values, positionals } = parse(argv);
    const [command, ...args] = positionals;
    if (values.help || !command) {
      out.line(HELP);
      return values.help ? 0 : 64;
    }
    if (!COMMANDS.has(command)) throw new UsageError(`unknown command ${command}; see --help`);
    const cwd = deps.cwd ?? process.cwd();
    const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    const ctx: Context = {
      cwd,
      out,
      logger,
      cloudformation: deps.cloudformation ?? new CloudFormationClient({ region }),
      s3: deps.s3 ?? new S3Client({ region }),
      confirm: deps.confirm ?? confirmOnTerminal,
      sleep: deps.sleep ?? interruptibleSleep(deps.signal ?? new AbortController().signal),
      now: deps.now ?? (() => new Date()),
      run: deps.run ?? runCommand,
      pollMs: deps.pollMs,
    };
    if (command === "validate") {
      const stacksDir = resolveStacksDir({ flag: values["stacks-dir"], cwd });
      await validateCommand(ctx, { stacksDir, stacks: args });
      return 0;
    }
    if (args.length !== 1) throw new UsageError(`${command} takes exactly one stack name`);
    const stack = args[0] as string;
    const environment = values.env ?? env.RESTYLED_ENV;
    if (!environment) throw new UsageError(`${command} needs --env ENV (or RESTYLED_ENV)`);
    if (!ENV_PATTERN.test(environment)) {
      throw new UsageError(`--env ${environment}: use lower-case letters, digits and dashes`);
    }
    if (command === "outputs") {
      await outputsCommand(ctx, { stack, env: environment, json: values.json });
      return 0;
    }
    if (command === "delete") {
      await deleteCommand(ctx, {
        stack,
        env: environment,
        yes: values.yes,
        dryRun: values["dry-run"],
      });
      return 0;
    }
    const target = {
      stacksDir: resolveStacksDir({ flag: values["stacks-dir"], cwd }),
      stack,
      env: environment,
      params: parseParamFlags(values.param ?? []),
      codeBucket: values["code-bucket"] ?? env.RESTYLED_CODE_BUCKET,
      skipBuild: values["skip-build"],
    };
    if (target.params.has("Environment")) {
      throw new UsageError("set the environment with --env, not --param Environment=…");
    }
    if (command === "diff") await diffCommand(ctx, target);
    else await deployCommand(ctx, { ...target, yes: values.yes, dryRun: values["dry-run"] });
    return 0;
  } catch (error) {
    return reportError(error, { printError, debug: logLevelFromEnv(env) === "debug" });
  }
}

function reportError(error: unknown, options: { printError: (l: string) => void; debug: boolean }) {
  const mapped = asConfigError(error);
  const e = mapped instanceof Error ? mapped : new Error(String(mapped));
  const code =
    e instanceof UsageError
      ? 64
      : e instanceof ConfigError
        ? 78
        : e instanceof InterruptedError
          ? 130
          : 1;
  const prefix = e instanceof CancelledError || e instanceof InterruptedError ? "" : "error: ";
  options.printError(`${prefix}${e.message}`);
  if (options.debug && e.stack) options.printError(e.stack);
  return code;
}
