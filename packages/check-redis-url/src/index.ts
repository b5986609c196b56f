export { type CheckOutcome, checkCredentials, type RolledService } from "./check.js";
export { type Config, resolveConfig } from "./config.js";
export {
  HerokuApiError,
  InvalidPostgresUrlError,
  InvalidRedisUrlError,
  InvalidUrlError,
  PostgresUnreachableError,
  RedisUnreachableError,
  RollError,
  SyncFailedError,
} from "./errors.js";
export { fetchConfigVars, pickConfigVar } from "./heroku.js";
export { type HandlerResult, handler, runCheck } from "./lambda.js";
export { OPTIONS } from "./options.js";
export { checkPostgres } from "./postgres-check.js";
export { type PostgresTarget, parsePostgresUrl } from "./postgres-url.js";
export { pingRedis } from "./redis-ping.js";
export { parseRedisUrl, type RedisTarget } from "./redis-url.js";
export type { VariableOutcome } from "./sync-variable.js";
export { parseSyncEntry, type SyncedVariable } from "./synced-variables.js";
