export { type CheckOutcome, checkCredentials, type RolledService } from "./check.js";
export { type Config, type ConfigFlags, resolveConfig } from "./config.js";
export {
  ConfigError,
  EcsError,
  exitCodeFor,
  HerokuApiError,
  InvalidPostgresUrlError,
  InvalidRedisUrlError,
  InvalidUrlError,
  PostgresUnreachableError,
  RedisUnreachableError,
  RollError,
  SsmError,
  SyncFailedError,
  UsageError,
} from "./errors.js";
export { fetchConfigVars, pickConfigVar } from "./heroku.js";
export { type HandlerResult, handler, runCheck } from "./lambda.js";
export { createLogger, type Logger, type LogLevel } from "./logger.js";
export { checkPostgres } from "./postgres-check.js";
export { type PostgresTarget, parsePostgresUrl } from "./postgres-url.js";
export { redactUrl, scrubSecrets, secretsOfUrl } from "./redact.js";
export { pingRedis } from "./redis-ping.js";
export { parseRedisUrl, type RedisTarget } from "./redis-url.js";
export type { VariableOutcome } from "./sync-variable.js";
export { parseSyncedVariables, type SyncedVariable } from "./synced-variables.js";
