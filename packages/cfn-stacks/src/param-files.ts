import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { ConfigError } from "./errors.js";

/** Parameter values by stack, from one environment's file. */
export type ParamFile = { path: string; stacks: Map<string, Map<string, string>> };

/** `params/{env}.json` next to the templates: where an environment's values live. */
export function defaultParamFilePath(stacksDir: string, env: string): string {
  return join(stacksDir, "params", `${env}.json`);
}

/**
 * Reads an environment's parameter file, `{"machines": {"AgentVersion": "1.2.3"}}`:
 * one object per stack, values strings, numbers or booleans (a list for a
 * CommaDelimitedList). A default path that does not exist is no file; a
 * named one must exist. Anything else malformed is a ConfigError naming it.
 */
export async function readParamFile(options: {
  path: string;
  required: boolean;
  /** Messages name the file relative to this directory. */
  cwd?: string;
}): Promise<ParamFile | undefined> {
  const path = options.cwd ? relative(options.cwd, options.path) || options.path : options.path;
  let text: string;
  try {
    text = await readFile(options.path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && !options.required) return undefined;
    throw new ConfigError(`cannot read the parameter file ${path}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not JSON (${(error as Error).message})`, { cause: error });
  }
  if (!isObject(parsed)) {
    throw new ConfigError(
      `${path}: expected an object of stacks, e.g. {"machines": {"Key": "value"}}`,
    );
  }
  const stacks = new Map<string, Map<string, string>>();
  for (const [stack, values] of Object.entries(parsed)) {
    if (!isObject(values)) {
      throw new ConfigError(`${path}: ${stack} must be an object of parameter values`);
    }
    const map = new Map<string, string>();
    for (const [key, value] of Object.entries(values)) {
      if (key === "Environment") {
        throw new ConfigError(`${path}: ${stack}.Environment comes from --env, not the file`);
      }
      map.set(key, valueText(value, `${path}: ${stack}.${key}`));
    }
    stacks.set(stack, map);
  }
  return { path, stacks };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function valueText(value: unknown, where: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(",");
  throw new ConfigError(`${where}: expected a string, number, boolean or list of strings`);
}

/** The file's values for a stack with the flags' on top: flags win. */
export function mergeParams(
  file: ParamFile | undefined,
  stack: string,
  flags: Map<string, string>,
): Map<string, string> {
  return new Map([...(file?.stacks.get(stack) ?? []), ...flags]);
}
