import { runMain } from "@restyled/core/cli";
import { runCommand } from "./cli-run.js";
import { generateTraceCommand, simulateCommand } from "./cli-simulate.js";
import { GENERATE_HELP, RUN_HELP, SIMULATE_HELP } from "./help.js";
import { type Output, processOutput } from "./output.js";
import { packageVersion } from "./version.js";

/**
 * The command line, through the shared `runMain`: `--help`, `--version`,
 * signals (the first stops an --interval loop after its run, a second forces
 * exit 130), and the one place where an error becomes an exit code and a line
 * `restyled-autoscale: message` on stderr.
 */
export async function main(
  argv: string[] = process.argv.slice(2),
  output: Output = processOutput,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const stream = (write: (text: string) => void) => ({
    write: (text: string) => {
      write(text.replace(/\n$/, ""));
      return true;
    },
  });
  const [command, ...rest] = argv;
  return runMain({
    name: "restyled-autoscale",
    version: packageVersion(),
    versionFlags: ["--version", "-v"],
    help: () =>
      command === "simulate"
        ? SIMULATE_HELP
        : command === "generate-trace"
          ? GENERATE_HELP
          : RUN_HELP,
    argv,
    env,
    stdout: stream(output.out),
    stderr: stream(output.err),
    run: async ({ signal, logger }) => {
      if (command === "simulate") return simulateCommand(rest, output);
      if (command === "generate-trace") return generateTraceCommand(rest, output);
      return runCommand(argv, output, { env, logger, stop: signal });
    },
  });
}
