import { runMain } from "@restyled/core/cli";
import packageJson from "../package.json" with { type: "json" };
import { readConfig } from "./config/config.js";
import { helpText } from "./config/options.js";
import { createAgentLogger } from "./logger.js";
import { createContext, runAgent } from "./main.js";

/** Signals are the agent's own business (see `runAgent`): runMain gets none. */
const NO_SIGNALS = { on: () => undefined, off: () => undefined };

/**
 * The command line. `@restyled/core/cli`'s runMain is the one place errors
 * become exit codes and one line on stderr.
 */
export function main(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  return runMain({
    name: "restyled-agent",
    version: packageJson.version,
    help: helpText,
    argv,
    env,
    signals: NO_SIGNALS,
    run: async () => {
      const config = readConfig(argv, env);
      const log = createAgentLogger({ level: config.logLevel });
      const ctx = await createContext(config, log);
      return (await runAgent(ctx)) ? 0 : 1;
    },
  });
}
