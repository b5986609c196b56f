import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { createClients } from "./cloudformation/clients.js";
import { interruptibleSleep } from "./cloudformation/events.js";
import { deleteCommand } from "./commands/delete.js";
import { deployCommand } from "./commands/deploy.js";
import { deployAllCommand, refuseStackWithAll } from "./commands/deploy-all.js";
import { diffCommand } from "./commands/diff.js";
import { outputsCommand } from "./commands/outputs.js";
import { loadValidTemplate } from "./commands/plan.js";
import { validateCommand } from "./commands/validate.js";
import type { Context } from "./context.js";
import { ConfigError, UsageError } from "./errors.js";
import { runCommand } from "./lambda-code.js";
import { createLogger, logLevelFromEnv } from "./logger.js";
import { createOutput } from "./output.js";
import { defaultParamFilePath, mergeParams, readParamFile } from "./param-files.js";
import { checkGivenParameters, declaredParameters, parseParamFlags } from "./parameters.js";
import { confirmOnTerminal } from "./prompt.js";
import { reportError } from "./report-error.js";
import { resolveStacksDir } from "./workspace.js";

export const HELP = `restyled-stacks: validate, preview and deploy the Restyled CloudFormation stacks

Usage:
  restyled-stacks validate [STACK...]
  restyled-stacks diff STACK --env ENV [--param KEY=VALUE...]
  restyled-stacks deploy STACK --env ENV [--param KEY=VALUE...] [--yes] [--dry-run]
  restyled-stacks deploy --all --env ENV [--param KEY=VALUE...] [--yes] [--dry-run]
  restyled-stacks outputs STACK --env ENV [--json]
  restyled-stacks delete STACK --env ENV [--yes] [--dry-run]

Stacks are the templates in stacks/ (vpc, iam, services, machines, ops), deployed
as restyled-ENV-STACK. deploy --all deploys them all in the order their imports
need, stopping at the first failure.

Options:
  -e, --env ENV          environment, e.g. prod (env RESTYLED_ENV)
  -p, --param KEY=VALUE  set a template parameter; repeatable; wins over the
                         parameter file. Parameters not given keep their
                         previous values on an existing stack
      --params-file FILE the environment's parameter values, {"STACK": {"KEY": "VALUE"}}
                         (env RESTYLED_PARAMS_FILE; default: params/ENV.json next
                         to the templates, when it exists)
      --all              deploy: every stack, in dependency order
      --code-bucket NAME S3 bucket for Lambda code (env RESTYLED_CODE_BUCKET;
                         default: the stack's current CodeBucket)
      --skip-build       use the Lambda zips already built instead of building them
  -y, --yes              deploy or delete without asking
      --dry-run          deploy: show the change set and stop (same as diff);
                         delete: show what would be deleted
      --json             outputs: print a JSON object
      --region REGION    AWS region (env AWS_REGION)
      --request-timeout T  give up on an AWS request that has not answered in T
                         (e.g. 30s, 2m; default 30s; the SDK retries it twice)
      --stacks-dir DIR   the templates (default: stacks/ of the enclosing
                         workspace, else the ones this package ships)
  -h, --help             show this help

Exit codes: 0 done (or no changes), 1 failed or cancelled, 64 bad usage,
69 AWS unreachable or not answering, 78 missing configuration, 130 interrupted
(Ctrl-C or SIGTERM: a change set not yet executed is deleted first).
LOG_LEVEL=debug shows stack traces.
`;

const COMMANDS = new Set(["validate", "diff", "deploy", "outputs", "delete"]);
const ENV_PATTERN = /^[a-z][a-z0-9-]{0,30}$/;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface CliDeps extends Partial<Context> {
  env?: NodeJS.ProcessEnv;
  /** Where errors are printed: one line each. */
  printError?: (line: string) => void;
  /** The templates shipped in the package (tests point it elsewhere). */
  bundledStacks?: string;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        env: { type: "string", short: "e" },
        param: { type: "string", short: "p", multiple: true },
        "params-file": { type: "string" },
        all: { type: "boolean", default: false },
        "code-bucket": { type: "string" },
        "skip-build": { type: "boolean", default: false },
        yes: { type: "boolean", short: "y", default: false },
        "dry-run": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        region: { type: "string" },
        "request-timeout": { type: "string" },
        "stacks-dir": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_REQUEST_TIMEOUT_MS;
  const match = /^(\d+)(ms|s|m)?$/.exec(text);
  const ms = match ? Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] ?? "s"]! : 0;
  if (ms < 100) throw new UsageError(`--request-timeout ${text}: expected a duration like 30s`);
  return ms;
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
    const requestTimeoutMs = parseTimeout(values["request-timeout"]);
    const signal = deps.signal ?? new AbortController().signal;
    const lazy = { clients: undefined as ReturnType<typeof createClients> | undefined };
    const clients = () => {
      lazy.clients ??= createClients({
        region: values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
        requestTimeoutMs,
        endpoint: env.AWS_ENDPOINT_URL_CLOUDFORMATION ?? env.AWS_ENDPOINT_URL,
      });
      return lazy.clients;
    };
    const ctx: Context = {
      cwd,
      out,
      logger,
      get cloudformation() {
        return deps.cloudformation ?? clients().cloudformation;
      },
      get s3() {
        return deps.s3 ?? clients().s3;
      },
      confirm: deps.confirm ?? confirmOnTerminal,
      sleep: deps.sleep ?? interruptibleSleep(signal),
      now: deps.now ?? (() => new Date()),
      run: deps.run ?? runCommand,
      pollMs: deps.pollMs,
      signal,
      waiterDelays: deps.waiterDelays,
      lambdaSource: deps.lambdaSource,
    };
    if (command === "validate") {
      const stacksDir = resolveStacksDir({
        flag: values["stacks-dir"],
        cwd,
        bundled: deps.bundledStacks,
      });
      await validateCommand(ctx, { stacksDir, stacks: args });
      return 0;
    }
    const all = command === "deploy" && values.all;
    if (values.all && command !== "deploy") throw new UsageError("--all goes with deploy");
    if (all) refuseStackWithAll(args);
    else if (args.length !== 1) throw new UsageError(`${command} takes exactly one stack name`);
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
    const stacksDir = resolveStacksDir({
      flag: values["stacks-dir"],
      cwd,
      bundled: deps.bundledStacks,
    });
    const flags = parseParamFlags(values.param ?? []);
    if (flags.has("Environment")) {
      throw new UsageError("set the environment with --env, not --param Environment=…");
    }
    const named = values["params-file"] ?? env.RESTYLED_PARAMS_FILE;
    const file = await readParamFile({
      path: resolve(cwd, named ?? defaultParamFilePath(stacksDir, environment)),
      required: named !== undefined,
      cwd,
    });
    const common = {
      stacksDir,
      env: environment,
      codeBucket: values["code-bucket"] ?? env.RESTYLED_CODE_BUCKET,
      skipBuild: values["skip-build"],
    };
    if (all) {
      await deployAllCommand(ctx, {
        ...common,
        flags,
        file,
        yes: values.yes,
        dryRun: values["dry-run"],
      });
      return 0;
    }
    // Every parameter named is checked against the template before any AWS call.
    const template = await loadValidTemplate(ctx, { stacksDir, stack, env: environment });
    const declared = declaredParameters(template);
    checkGivenParameters(
      declared,
      file?.stacks.get(stack)?.keys() ?? [],
      (key) => `${file?.path}: ${stack}.${key}`,
      ConfigError,
    );
    checkGivenParameters(declared, flags.keys());
    const target = { ...common, stack, template, params: mergeParams(file, stack, flags) };
    if (command === "diff") await diffCommand(ctx, target);
    else await deployCommand(ctx, { ...target, yes: values.yes, dryRun: values["dry-run"] });
    return 0;
  } catch (error) {
    return reportError(error, { printError, debug: logLevelFromEnv(env) === "debug" });
  }
}
