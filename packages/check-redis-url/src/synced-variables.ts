/** One Heroku config var kept in step with one SSM parameter. */
export interface SyncedVariable {
  /** The Heroku config var, such as `REDIS_URL`. */
  configVar: string;
  /** The SSM parameter's full name, such as `/restyled/prod/redis-url`. */
  parameter: string;
}

/** One `CONFIG_VAR=PARAMETER` entry, its parameter not yet placed under an environment. */
export interface SyncEntry {
  configVar: string;
  /** A key under `/restyled/{env}/` (`redis-url`) or a full path (`/other/redis-url`). */
  target: string;
}

/** What restyled.io reads: Heroku rotates both. */
export const DEFAULT_SYNCED_VARIABLES = "REDIS_URL=redis-url,DATABASE_URL=database-url";

const CONFIG_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARAMETER_KEY = /^[a-z0-9][a-z0-9-]*$/;
const PARAMETER_PATH = /^\/[A-Za-z0-9_.\-/]+$/;

/**
 * Parses one `CONFIG_VAR=PARAMETER` entry. Throws a plain Error describing
 * the problem; the option layer names the flag or variable it came from.
 */
export function parseSyncEntry(text: string): SyncEntry {
  const entry = text.trim();
  const match = /^([^=]+)=(.+)$/.exec(entry);
  if (!match) {
    throw new Error(
      `"${entry.slice(0, 80)}" is not CONFIG_VAR=parameter such as REDIS_URL=redis-url`,
    );
  }
  const configVar = (match[1] ?? "").trim();
  const target = (match[2] ?? "").trim();
  if (!CONFIG_VAR.test(configVar)) {
    throw new Error(`"${configVar.slice(0, 80)}" is not a config var name`);
  }
  if (target.startsWith("/")) {
    if (!PARAMETER_PATH.test(target) || target.includes("//")) {
      throw new Error(`"${target.slice(0, 80)}" is not an SSM parameter path`);
    }
  } else if (!PARAMETER_KEY.test(target)) {
    throw new Error(
      `"${target.slice(0, 80)}" is neither a parameter key such as redis-url nor a path`,
    );
  }
  return { configVar, target };
}

/**
 * Places each entry's parameter under `/restyled/{env}/` (unless it is a
 * path), the default list when there is none, and refuses a config var or
 * parameter named twice: two variables writing one parameter would flap it.
 */
export function resolveSyncedVariables(entries: SyncEntry[], env: string): SyncedVariable[] {
  const list =
    entries.length > 0 ? entries : DEFAULT_SYNCED_VARIABLES.split(",").map(parseSyncEntry);
  const seenVars = new Set<string>();
  const seenParameters = new Set<string>();
  return list.map(({ configVar, target }) => {
    const parameter = target.startsWith("/") ? target : `/restyled/${env}/${target}`;
    if (seenVars.has(configVar)) throw new Error(`names ${configVar} twice`);
    if (seenParameters.has(parameter)) throw new Error(`writes ${parameter} twice`);
    seenVars.add(configVar);
    seenParameters.add(parameter);
    return { configVar, parameter };
  });
}
