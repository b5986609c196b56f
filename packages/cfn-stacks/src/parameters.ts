import type { Parameter } from "@aws-sdk/client-cloudformation";
import { ConfigError, UsageError } from "./errors.js";
import { fieldOf, sectionOf, type Template } from "./template.js";

/** Parses repeated `--param KEY=VALUE` flags; the value may itself contain `=`. */
export function parseParamFlags(flags: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const flag of flags) {
    const at = flag.indexOf("=");
    const key = at > 0 ? flag.slice(0, at) : "";
    if (!/^[A-Za-z0-9]+$/.test(key)) {
      throw new UsageError(`--param ${flag}: expected KEY=VALUE with an alphanumeric KEY`);
    }
    if (values.has(key)) throw new UsageError(`--param ${key} is given twice`);
    values.set(key, flag.slice(at + 1));
  }
  return values;
}

export interface DeclaredParameter {
  name: string;
  hasDefault: boolean;
}

export function declaredParameters(template: Template): DeclaredParameter[] {
  return (sectionOf(template, "Parameters")?.entries ?? []).map(({ key, value }) => ({
    name: key,
    hasDefault: value.kind === "map" && fieldOf(value, "Default") !== undefined,
  }));
}

/**
 * The parameters to send with a change set. Named ones get their value; on an
 * existing stack every other one keeps its previous value (UsePreviousValue),
 * so updating one parameter never resets the rest; on a new stack the rest
 * take their defaults, and one without a default is an error.
 */
export function resolveParameters(options: {
  declared: DeclaredParameter[];
  given: Map<string, string>;
  /** The parameter names the deployed stack has, or undefined for a new stack. */
  previous?: Set<string>;
}): Parameter[] {
  const { declared, given, previous } = options;
  const names = new Set(declared.map((p) => p.name));
  for (const key of given.keys()) {
    if (!names.has(key)) {
      throw new UsageError(
        `--param ${key}: the template has no such parameter (it has ${[...names].join(", ")})`,
      );
    }
  }
  const parameters: Parameter[] = [];
  const missing: string[] = [];
  for (const { name, hasDefault } of declared) {
    const value = given.get(name);
    if (value !== undefined) parameters.push({ ParameterKey: name, ParameterValue: value });
    else if (previous?.has(name)) parameters.push({ ParameterKey: name, UsePreviousValue: true });
    else if (!hasDefault) missing.push(name);
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `no value for ${missing.join(", ")}: pass ${missing.map((m) => `--param ${m}=VALUE`).join(" ")}`,
    );
  }
  return parameters;
}
