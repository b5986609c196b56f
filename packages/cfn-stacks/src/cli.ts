import { EventEmitter } from "node:events";
import { resolve } from "node:path";
import { type MainContext, runMain } from "@restyled/core/cli";
import type { Logger } from "@restyled/core/logger";
import { parseOptions } from "@restyled/core/options";
import type { SignalTarget } from "@restyled/core/signals";
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
import { ConfigError, describeFailure, UsageError } from "./errors.js";
import { runCommand } from "./lambda-code.js";
import { HELP, OPTIONS } from "./options.js";
import { createOutput, type Output } from "./output.js";
import { defaultParamFilePath, mergeParams, readParamFile } from "./param-files.js";
import { checkGivenParameters, declaredParameters, parseParamFlags } from "./parameters.js";
import { confirmOnTerminal } from "./prompt.js";
import { VERSION } from "./version.js";
import { resolveStacksDir } from "./workspace.js";

export { HELP } from "./options.js";

const COMMANDS = new Set(["validate", "diff", "deploy", "outputs", "delete"]);

export interface CliDeps extends Partial<Omit<Context, "signal">> {
  env?: NodeJS.ProcessEnv;
  /** Where error lines go (one per call, without the newline); default stderr. */
  printError?: (line: string) => void;
  /** Where SIGINT/SIGTERM arrive; default none (tests), `process` from bin.ts. */
  signals?: SignalTarget;
  /** How a second signal ends the process; default process.exit. */
  exit?: (code: number) => void;
  /** The templates shipped in the package (tests point it elsewhere). */
  bundledStacks?: string;
}

/**
 * Runs one command through the core's `runMain` (help, version, signals, the
 * one place errors become exit codes and one `restyled-stacks: …` line) and
 * returns the exit code.
 */
export function runCli(argv: string[], deps: CliDeps = {}): Promise<number> {
  const printError = deps.printError;
  return runMain({
    name: "restyled-stacks",
    version: VERSION,
    help: HELP,
    argv,
    env: deps.env ?? process.env,
    stdout: deps.out
      ? { write: (text: string) => deps.out?.line(text.replace(/\n$/, "")) }
      : undefined,
    stderr: printError
      ? { write: (text: string) => printError(text.replace(/\n$/, "")) }
      : undefined,
    signals: deps.signals ?? new EventEmitter(),
    exit: deps.exit,
    run: async (main) => {
      try {
        return await runStacksCommand(main, deps);
      } catch (error) {
        throw describeFailure(error);
      }
    },
  });
}

async function runStacksCommand(main: MainContext, deps: CliDeps): Promise<number> {
  const { env, signal } = main;
  const logger: Logger = deps.logger ?? main.logger;
  const out: Output = deps.out ?? createOutput((text) => main.stdout.write(text));
  const values = parseOptions(OPTIONS, { argv: main.argv, env, allowPositionals: true });
  const [command, ...args] = values.positionals;
  if (!command) {
    out.line(HELP);
    return 64;
  }
  if (!COMMANDS.has(command)) throw new UsageError(`unknown command ${command} (see --help)`);
  if (values.requestTimeout <= 0) throw new UsageError("--request-timeout: must be more than 0");
  const cwd = deps.cwd ?? process.cwd();
  let clients: ReturnType<typeof createClients> | undefined;
  const aws = () => {
    clients ??= createClients({
      region: values.region ?? env.AWS_DEFAULT_REGION,
      requestTimeoutMs: values.requestTimeout,
      endpoint: env.AWS_ENDPOINT_URL_CLOUDFORMATION ?? env.AWS_ENDPOINT_URL,
      logger,
    });
    return clients;
  };
  const ctx: Context = {
    cwd,
    out,
    logger,
    get cloudformation() {
      return deps.cloudformation ?? aws().cloudformation;
    },
    get s3() {
      return deps.s3 ?? aws().s3;
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
  const stacksDir = () =>
    resolveStacksDir({ flag: values.stacksDir, cwd, bundled: deps.bundledStacks });
  if (command === "validate") {
    await validateCommand(ctx, { stacksDir: stacksDir(), stacks: args });
    return 0;
  }
  const all = command === "deploy" && values.all;
  if (values.all && command !== "deploy") throw new UsageError("--all goes with deploy");
  if (all) refuseStackWithAll(args);
  else if (args.length !== 1) throw new UsageError(`${command} takes exactly one stack name`);
  const stack = args[0] as string;
  const environment = values.env;
  // A missing environment is a configuration error (78), as in every other tool.
  if (!environment) throw new ConfigError(`${command} needs --env ENV (or RESTYLED_ENV)`);
  if (command === "outputs") {
    await outputsCommand(ctx, { stack, env: environment, json: values.json });
    return 0;
  }
  if (command === "delete") {
    await deleteCommand(ctx, { stack, env: environment, yes: values.yes, dryRun: values.dryRun });
    return 0;
  }
  const dir = stacksDir();
  const flags = parseParamFlags(values.param);
  if (flags.has("Environment")) {
    throw new UsageError("set the environment with --env, not --param Environment=…");
  }
  const file = await readParamFile({
    path: resolve(cwd, values.paramsFile ?? defaultParamFilePath(dir, environment)),
    required: values.paramsFile !== undefined,
    cwd,
  });
  const common = {
    stacksDir: dir,
    env: environment,
    codeBucket: values.codeBucket,
    skipBuild: values.skipBuild,
    yes: values.yes,
    dryRun: values.dryRun,
  };
  if (all) {
    await deployAllCommand(ctx, { ...common, flags, file });
    return 0;
  }
  // Every parameter named is checked against the template before any AWS call.
  const template = await loadValidTemplate(ctx, { stacksDir: dir, stack, env: environment });
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
  else await deployCommand(ctx, target);
  return 0;
}
