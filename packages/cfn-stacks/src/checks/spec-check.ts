import { asIntrinsic } from "../intrinsics.js";
import type { Problem } from "../problems.js";
import { fieldOf, sectionOf, stringOf, type Template } from "../template.js";
import type { CfnValue } from "../yaml-cfn.js";
import type { PropertySpec, ResourceSpec, SpecType } from "./resource-spec.js";

type Report = (line: number, reason: string) => void;

const shapeOf = (value: CfnValue) => value.kind;

/** Whether a type is written as a mapping, a list or a single value. */
function expectedShape(type: SpecType): "map" | "seq" | "scalar" | "any" {
  switch (type.type) {
    case "ref":
    case "map":
    case "tag":
      return "map";
    case "array":
      return "seq";
    case "json":
    case "union":
      return "any";
    default:
      return "scalar";
  }
}

/**
 * Checks a value against a specification type. Values computed by an intrinsic
 * function are skipped: their type is only known to CloudFormation.
 */
function checkValue(options: {
  value: CfnValue;
  type: SpecType;
  path: string;
  spec: ResourceSpec;
  report: Report;
  /** The line naming this value (its key), where a missing property is reported. */
  ownerLine: number;
}): void {
  const { value, type, path, spec, report } = options;
  if (asIntrinsic(value)) return;
  if (value.kind === "scalar" && value.value === null) return;
  if (type.type === "union") {
    const match =
      type.types.find((t) => expectedShape(t) === shapeOf(value)) ??
      type.types.find((t) => expectedShape(t) === "any");
    if (!match) report(value.line, `${path} has the wrong shape for its type`);
    else checkValue({ ...options, type: match });
    return;
  }
  const shape = expectedShape(type);
  if (shape !== "any" && shape !== shapeOf(value)) {
    const wanted = { map: "a mapping", seq: "a list", scalar: `a ${type.type}` }[shape];
    report(value.line, `${path} must be ${wanted}`);
    return;
  }
  if (value.kind === "scalar") {
    checkScalar(value, type.type, path, report);
  } else if (type.type === "array" && value.kind === "seq") {
    value.items.forEach((item, i) => {
      checkValue({
        ...options,
        value: item,
        type: type.element,
        path: `${path}[${i}]`,
        ownerLine: item.line,
      });
    });
  } else if (type.type === "map" && value.kind === "map") {
    for (const e of value.entries) {
      checkValue({
        ...options,
        value: e.value,
        type: type.element,
        path: `${path}.${e.key}`,
        ownerLine: e.keyLine,
      });
    }
  } else if (type.type === "tag" && value.kind === "map") {
    const keys = value.entries.map((e) => e.key).sort();
    if (keys.join() !== "Key,Value") report(value.line, `${path} must have exactly Key and Value`);
  } else if (type.type === "ref" && value.kind === "map") {
    const definition = spec.typeDefinition(type.reference.$ref);
    if (definition) {
      checkProperties({
        map: value,
        properties: definition.properties,
        path,
        spec,
        report,
        ownerLine: options.ownerLine,
      });
    }
  }
}

function checkScalar(
  value: CfnValue & { kind: "scalar" },
  type: string,
  path: string,
  report: Report,
): void {
  const raw = value.value;
  if ((type === "integer" || type === "number") && Number.isNaN(Number(raw))) {
    report(value.line, `${path} must be a number, not ${JSON.stringify(raw)}`);
  } else if (type === "integer" && !Number.isInteger(Number(raw))) {
    // The registry schemas' "integer": a fraction fails the property validation.
    report(value.line, `${path} must be a whole number, not ${JSON.stringify(raw)}`);
  }
  if (type === "boolean" && !["true", "false"].includes(String(raw).toLowerCase())) {
    report(value.line, `${path} must be true or false, not ${JSON.stringify(raw)}`);
  }
}

function checkProperties(options: {
  map: CfnValue & { kind: "map" };
  properties: Map<string, PropertySpec>;
  path: string;
  spec: ResourceSpec;
  report: Report;
  ownerLine: number;
}): void {
  const { map, properties, path, spec, report } = options;
  for (const entry of map.entries) {
    const property = properties.get(entry.key);
    if (!property) {
      report(entry.keyLine, `${path} has no property ${entry.key}`);
      continue;
    }
    // The first type is the current one; earlier ones are still accepted.
    const [current, ...previous] = property.types;
    if (!current) continue;
    const type: SpecType = previous.length ? { type: "union", types: property.types } : current;
    checkValue({
      value: entry.value,
      type,
      path: `${path}.${entry.key}`,
      spec,
      report,
      ownerLine: entry.keyLine,
    });
  }
  for (const [name, property] of properties) {
    if (property.required && !map.entries.some((e) => e.key === name)) {
      report(options.ownerLine, `${path} requires property ${name}`);
    }
  }
}

/** Resource types and their properties, checked against the resource specification. */
export function checkAgainstSpec(template: Template, spec: ResourceSpec): Problem[] {
  const { file } = template;
  const problems: Problem[] = [];
  // Unknown types, properties and shapes: cfn-lint E3006, E3002, E3003, E3012.
  const report: Report = (line, reason) => {
    const rule = reason.startsWith("unknown resource type")
      ? "E3006"
      : reason.includes(" requires property ")
        ? "E3003"
        : reason.includes(" has no property ")
          ? "E3002"
          : "E3012";
    problems.push({ file, line, reason, rule });
  };
  for (const { key, keyLine, value } of sectionOf(template, "Resources")?.entries ?? []) {
    if (value.kind !== "map") continue;
    const typeValue = fieldOf(value, "Type");
    const type = stringOf(typeValue);
    if (!type || type.startsWith("Custom::") || type === "AWS::CloudFormation::CustomResource") {
      continue;
    }
    const properties = spec.properties(type);
    if (!properties) {
      report(
        typeValue?.line ?? keyLine,
        `unknown resource type ${type} (checked against ${spec.source})`,
      );
      continue;
    }
    const given = fieldOf(value, "Properties");
    // Properties chosen by a condition are only known to CloudFormation.
    if (given && asIntrinsic(given)) continue;
    if (given && given.kind !== "map") {
      report(given.line, `${key}.Properties must be a mapping`);
      continue;
    }
    checkProperties({
      map: given ?? { kind: "map", entries: [], line: keyLine },
      properties,
      path: key,
      spec,
      report,
      ownerLine: keyLine,
    });
  }
  return problems;
}
