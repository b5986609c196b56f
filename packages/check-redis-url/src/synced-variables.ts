/** One Heroku config var kept in step with one SSM parameter. */
export interface SyncedVariable {
  /** The Heroku config var, such as `REDIS_URL`. */
  configVar: string;
  /** The SSM parameter's full name, such as `/restyled/prod/redis-url`. */
  parameter: string;
}

/** What restyled.io reads: Heroku rotates both. */
export const DEFAULT_SYNCED_VARIABLES = "REDIS_URL=redis-url,DATABASE_URL=database-url";

const CONFIG_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARAMETER_KEY = /^[a-z0-9][a-z0-9-]*$/;
const PARAMETER_PATH = /^\/[A-Za-z0-9_.\-/]+$/;

/**
 * Parses `CONFIG_VAR=PARAMETER[,…]`, where PARAMETER is a key under
 * `/restyled/{env}/` (`redis-url`) or a full path (`/other/redis-url`).
 * Throws a plain Error describing the problem; the caller names the flag or
 * variable it came from.
 */
export function parseSyncedVariables(text: string, env: string): SyncedVariable[] {
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.length === 0) throw new Error("names no variable (expected CONFIG_VAR=parameter,…)");
  const seenVars = new Set<string>();
  const seenParameters = new Set<string>();
  return entries.map((entry) => {
    const match = /^([^=]+)=(.+)$/.exec(entry);
    if (!match)
      throw new Error(`has "${entry}", expected CONFIG_VAR=parameter such as REDIS_URL=redis-url`);
    const configVar = (match[1] ?? "").trim();
    const target = (match[2] ?? "").trim();
    if (!CONFIG_VAR.test(configVar))
      throw new Error(`has "${configVar}", which is not a config var name`);
    let parameter: string;
    if (target.startsWith("/")) {
      if (!PARAMETER_PATH.test(target) || target.includes("//")) {
        throw new Error(`has "${target}", which is not an SSM parameter path`);
      }
      parameter = target;
    } else {
      if (!PARAMETER_KEY.test(target)) {
        throw new Error(
          `has "${target}", which is neither a parameter key such as redis-url nor a path`,
        );
      }
      parameter = `/restyled/${env}/${target}`;
    }
    if (seenVars.has(configVar)) throw new Error(`names ${configVar} twice`);
    if (seenParameters.has(parameter)) throw new Error(`writes ${parameter} twice`);
    seenVars.add(configVar);
    seenParameters.add(parameter);
    return { configVar, parameter };
  });
}
