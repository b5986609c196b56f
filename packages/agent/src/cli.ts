import { runMain } from "@restyled/core/cli";
import packageJson from "../package.json" with { type: "json" };
import { readConfig } from "./config/config.js";
import { helpText } from "./config/options.js";
import { createLogShipper } from "./log-shipping/log-shipper.js";
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
      // Every line also goes to the shipper's buffer (CloudWatch Logs, when a
      // log group is configured); the shipper's own trouble goes to stderr only.
      const shipper = config.logGroup
        ? createLogShipper({ report: createAgentLogger({ level: "warn" }).warn })
        : undefined;
      const log = createAgentLogger({
        level: config.logLevel,
        write: (line) => {
          process.stderr.write(`${line}\n`);
          shipper?.write(line);
        },
      });
      const ctx = await createContext(config, log, shipper);
      const ok = await runAgent(ctx);
      // The lines after the last completion, as far as the instance lets us.
      await shipper?.close(Date.now() + config.logFlushTimeoutMs);
      return ok ? 0 : 1;
    },
  });
}
