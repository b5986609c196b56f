import { type Problem, problemCollector, type Report } from "../problems.js";
import { fieldOf, sectionOf, stringOf, type Template } from "../template.js";
import type { CfnMap, CfnValue } from "../yaml-cfn.js";
import { LIMITS } from "./limits.js";

const PARAMETER_TYPES =
  /^(String|Number|List<Number>|CommaDelimitedList|AWS::[A-Za-z0-9:]+|List<AWS::[A-Za-z0-9:]+>|AWS::SSM::Parameter::Value<[A-Za-z0-9:<>]+>)$/;

const COMMON_KEYS = ["Type", "Default", "Description", "NoEcho", "AllowedValues"];
const STRING_KEYS = [
  ...COMMON_KEYS,
  "AllowedPattern",
  "ConstraintDescription",
  "MinLength",
  "MaxLength",
];
const NUMBER_KEYS = [...COMMON_KEYS, "ConstraintDescription", "MinValue", "MaxValue"];

/** A parameter's declaration, read once for checking defaults and given values. */
export interface ParameterRules {
  name: string;
  type: string;
  allowedValues?: string[];
  allowedPattern?: RegExp;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  constraintDescription?: string;
}

const numberOf = (value: CfnValue | undefined): number | undefined => {
  if (value?.kind !== "scalar" || value.value === null || value.value === "") return undefined;
  const n = Number(value.value);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * Reads a declaration, reporting what CloudFormation refuses in it: a missing
 * or unknown Type, attributes the type does not take, malformed constraints.
 */
export function readParameterRules(
  name: string,
  declaration: CfnMap,
  report?: Report,
): ParameterRules | undefined {
  const fail = (line: number, reason: string, rule = "E2001") =>
    report?.(line, `parameter ${name}: ${reason}`, rule);
  const type = stringOf(fieldOf(declaration, "Type"));
  if (!type || !PARAMETER_TYPES.test(type)) {
    report?.(declaration.line, `parameter ${name} needs a valid Type`, "E2002");
    return undefined;
  }
  const allowedKeys = type === "Number" || type === "List<Number>" ? NUMBER_KEYS : STRING_KEYS;
  for (const { key, keyLine } of declaration.entries) {
    if (!allowedKeys.includes(key)) fail(keyLine, `a ${type} parameter takes no ${key}`);
  }
  const rules: ParameterRules = { name, type };
  const allowed = fieldOf(declaration, "AllowedValues");
  if (allowed) {
    if (allowed.kind !== "seq" || allowed.items.some((i) => i.kind !== "scalar")) {
      fail(allowed.line, "AllowedValues must be a list of values");
    } else rules.allowedValues = allowed.items.map((i) => String((i as { value: unknown }).value));
  }
  const pattern = fieldOf(declaration, "AllowedPattern");
  if (pattern) {
    const text = stringOf(pattern);
    try {
      if (text === undefined) throw new Error("not a string");
      // CloudFormation matches the whole value against the pattern.
      rules.allowedPattern = new RegExp(`^(?:${text})$`);
      rules.pattern = text;
    } catch {
      fail(pattern.line, "AllowedPattern is not a valid regular expression");
    }
  }
  for (const key of ["MinLength", "MaxLength", "MinValue", "MaxValue"] as const) {
    const given = fieldOf(declaration, key);
    if (!given) continue;
    const n = numberOf(given);
    const integer = key.endsWith("Length");
    if (n === undefined || (integer && !Number.isInteger(n))) {
      fail(given.line, `${key} must be ${integer ? "an integer" : "a number"}`);
      continue;
    }
    const field = `${key[0]?.toLowerCase()}${key.slice(1)}` as
      | "minLength"
      | "maxLength"
      | "minValue"
      | "maxValue";
    rules[field] = n;
  }
  const noEcho = fieldOf(declaration, "NoEcho");
  if (noEcho && !["true", "false"].includes(String((noEcho as { value?: unknown }).value))) {
    fail(noEcho.line, "NoEcho must be true or false");
  }
  const constraint = fieldOf(declaration, "ConstraintDescription");
  if (constraint) rules.constraintDescription = stringOf(constraint);
  const description = fieldOf(declaration, "Description");
  const descriptionText = stringOf(description);
  if (description && descriptionText === undefined)
    fail(description.line, "Description must be a string");
  if (descriptionText && Buffer.byteLength(descriptionText) > LIMITS.parameterDescriptionBytes) {
    fail(description!.line, `Description is over ${LIMITS.parameterDescriptionBytes} bytes`);
  }
  return rules;
}

/**
 * Why CloudFormation refuses `value` for this parameter, in its own words, or
 * undefined. Lists are checked element by element, as CloudFormation does.
 */
export function parameterValueProblem(rules: ParameterRules, value: string): string | undefined {
  const { name } = rules;
  const failed = (own: string) =>
    rules.constraintDescription
      ? `Parameter '${name}' failed to satisfy constraint: ${rules.constraintDescription}`
      : `Parameter '${name}' ${own}`;
  if (Buffer.byteLength(value) > LIMITS.parameterValueBytes) {
    return `Parameter '${name}' is over ${LIMITS.parameterValueBytes} bytes`;
  }
  // An SSM parameter type's value is the name of the SSM parameter, not checked here.
  if (rules.type.startsWith("AWS::SSM::")) return undefined;
  const isList = rules.type === "CommaDelimitedList" || rules.type.startsWith("List<");
  const items = isList ? value.split(",") : [value];
  for (const item of items) {
    const numeric = rules.type === "Number" || rules.type === "List<Number>";
    if (numeric && (item.trim() === "" || !Number.isFinite(Number(item)))) {
      return `Parameter '${name}' must be a number`;
    }
    if (rules.allowedValues && !rules.allowedValues.includes(item)) {
      return failed("must be one of AllowedValues");
    }
    if (rules.allowedPattern && !rules.allowedPattern.test(item)) {
      return failed(`must match pattern ${rules.pattern}`);
    }
    if (rules.minLength !== undefined && item.length < rules.minLength) {
      return failed(`must contain at least ${rules.minLength} characters`);
    }
    if (rules.maxLength !== undefined && item.length > rules.maxLength) {
      return failed(`must contain at most ${rules.maxLength} characters`);
    }
    if (rules.minValue !== undefined && Number(item) < rules.minValue) {
      return failed(`must be a number not less than ${rules.minValue}`);
    }
    if (rules.maxValue !== undefined && Number(item) > rules.maxValue) {
      return failed(`must be a number not greater than ${rules.maxValue}`);
    }
  }
  return undefined;
}

/** A parameter's Default as the string CloudFormation would receive. */
export function defaultText(declaration: CfnMap): string | undefined {
  const value = fieldOf(declaration, "Default");
  if (!value) return undefined;
  if (value.kind === "scalar") return value.value === null ? "" : String(value.value);
  if (value.kind === "seq" && value.items.every((i) => i.kind === "scalar")) {
    return value.items.map((i) => String((i as { value: unknown }).value)).join(",");
  }
  return undefined;
}

/** Every declaration well-formed (E2001, E2002) and every Default within its own constraints (E2015). */
export function checkParameters(template: Template): Problem[] {
  const { problems, report } = problemCollector(template.file);
  for (const { key, keyLine, value } of sectionOf(template, "Parameters")?.entries ?? []) {
    if (value.kind !== "map") {
      report(keyLine, `parameter ${key} needs a valid Type`, "E2002");
      continue;
    }
    const rules = readParameterRules(key, value, (line, reason, rule) =>
      report(line === value.line ? keyLine : line, reason, rule),
    );
    const defaultValue = fieldOf(value, "Default");
    if (!rules || !defaultValue) continue;
    const text = defaultText(value);
    if (text === undefined) {
      report(defaultValue.line, `parameter ${key}: Default must be a value`, "E2001");
      continue;
    }
    const problem = parameterValueProblem(rules, text);
    if (problem) report(defaultValue.line, `the Default of ${key} is refused: ${problem}`, "E2015");
  }
  return problems;
}
