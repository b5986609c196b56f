import type { Parameter } from "@aws-sdk/client-cloudformation";
import { ConfigError, UsageError } from "./errors.js";
import { fieldOf, sectionOf, type Template } from "./template.js";
import type { CfnValue } from "./yaml-cfn.js";

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
  /** NoEcho: its value is never printed. */
  secret: boolean;
}

export function declaredParameters(template: Template): DeclaredParameter[] {
  return (sectionOf(template, "Parameters")?.entries ?? []).map(({ key, value }) => ({
    name: key,
    hasDefault: value.kind === "map" && fieldOf(value, "Default") !== undefined,
    secret: value.kind === "map" && /^true$/i.test(String(scalarOf(fieldOf(value, "NoEcho")))),
  }));
}

function scalarOf(value: CfnValue | undefined): unknown {
  return value?.kind === "scalar" ? value.value : undefined;
}

/**
 * Refuses a parameter the template does not declare, naming the closest one:
 * checked before any AWS call, and as the only problem (a misspelt name is
 * not also reported as the real one missing).
 */
export function checkGivenParameters(
  declared: DeclaredParameter[],
  given: Iterable<string>,
  source = (key: string) => `--param ${key}`,
  /** A flag is a usage error (64); a file's entry a configuration error (78). */
  ErrorClass: new (message: string) => Error = UsageError,
): void {
  const names = declared.map((p) => p.name);
  for (const key of given) {
    if (names.includes(key)) continue;
    const near = closest(key, names);
    const hint = near ? `did you mean ${near}?` : `it has ${names.join(", ")}`;
    throw new ErrorClass(`${source(key)}: the template has no such parameter (${hint})`);
  }
}

/** The name within a third of its length in edits, if one is. */
function closest(key: string, names: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= Math.max(1, Math.floor(name.length / 3)) && (!best || distance < best.distance))
      best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost);
    }
    row = next;
  }
  return row[b.length] ?? 0;
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
  checkGivenParameters(declared, given.keys());
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
