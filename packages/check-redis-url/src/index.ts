export { type CheckOutcome, type CheckResult, checkRedisUrl } from "./check.js";
export { type Config, type ConfigFlags, resolveConfig } from "./config.js";
export {
  ConfigError,
  exitCodeFor,
  HerokuApiError,
  InvalidRedisUrlError,
  RedisUnreachableError,
  SsmError,
  UsageError,
} from "./errors.js";
export { fetchConfigVar } from "./heroku.js";
export { type HandlerResult, handler, runCheck } from "./lambda.js";
export { createLogger, type Logger, type LogLevel } from "./logger.js";
export { redactUrl, scrubSecrets, secretsOfUrl } from "./redact.js";
export { pingRedis } from "./redis-ping.js";
export { parseRedisUrl, type RedisTarget } from "./redis-url.js";
