import { EXIT } from "./cli-flags.js";
import { runCommand } from "./cli-run.js";
import { generateTraceCommand, simulateCommand } from "./cli-simulate.js";
import { ConfigError, UsageError } from "./errors.js";
import { parseLogLevel } from "./logger.js";
import { type Output, processOutput } from "./output.js";
import { packageVersion } from "./version.js";

/**
 * The command line: picks the command and is the one place where errors
 * become exit codes and a one-line message on stderr.
 */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === "--version" || command === "-v") {
      output.out(packageVersion());
      return EXIT.ok;
    }
    if (command === "simulate") return await simulateCommand(rest, output);
    if (command === "generate-trace") return await generateTraceCommand(rest, output);
    return await runCommand(argv, output);
  } catch (error) {
    return reportError(error, output);
  }
}

function reportError(error: unknown, output: Output): number {
  const debug = parseLogLevel(process.env.LOG_LEVEL) === "debug";
  const message = error instanceof Error ? error.message : String(error);
  output.err(`restyled-autoscale: ${message}`);
  if (debug && error instanceof Error && error.stack) output.err(error.stack);
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof ConfigError) return EXIT.config;
  return EXIT.failed;
}
