import { readConfig } from "./config.js";
import { ConfigError, UsageError } from "./errors.js";
import { createLogShipper } from "./log-shipping/log-shipper.js";
import { createLogger, isLogLevel, redact } from "./logger.js";
import { createContext, runAgent } from "./main.js";
import { helpText } from "./options.js";

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 64;
export const EXIT_CONFIG = 78;

/** The command line: the one place errors become exit codes and are printed. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const read = readConfig(argv, env);
    if (read.help) {
      console.log(helpText());
      return EXIT_OK;
    }
    // Every line also goes to the shipper's buffer (CloudWatch Logs, when a
    // log group is configured); the shipper's own trouble goes to stderr only.
    const shipper = read.config.logGroup
      ? createLogShipper({ report: createLogger({ level: "warn" }).warn })
      : undefined;
    const log = createLogger({
      level: read.config.logLevel,
      write: (line) => {
        process.stderr.write(`${line}\n`);
        shipper?.write(line);
      },
    });
    const ctx = await createContext(read.config, log, shipper);
    const ok = await runAgent(ctx);
    // The lines after the last completion, as far as the instance lets us.
    await shipper?.close(Date.now() + (read.config.logFlushTimeoutMs ?? 5_000));
    return ok ? EXIT_OK : EXIT_ERROR;
  } catch (error) {
    const level = env.LOG_LEVEL?.toLowerCase() ?? "info";
    const debug = isLogLevel(level) && level === "debug";
    const message = String(redact(error instanceof Error ? error.message : String(error)));
    console.error(`restyled-agent: ${message}`);
    if (debug && error instanceof Error && error.stack) console.error(redact(error.stack));
    if (error instanceof UsageError) return EXIT_USAGE;
    if (error instanceof ConfigError) return EXIT_CONFIG;
    return EXIT_ERROR;
  }
}
