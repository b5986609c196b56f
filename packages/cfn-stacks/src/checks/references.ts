import {
  type asIntrinsic,
  PSEUDO_PARAMETERS,
  subVariables,
  walkIntrinsics,
} from "../intrinsics.js";
import type { Problem } from "../problems.js";
import { fieldOf, resourceTypes, sectionOf, stringOf, type Template } from "../template.js";
import type { CfnValue } from "../yaml-cfn.js";
import type { ResourceSpec } from "./resource-spec.js";

/**
 * Every Ref, GetAtt, Sub, FindInMap, If, Condition and DependsOn names
 * something that exists, and every parameter is used somewhere.
 */
export function checkReferences(template: Template, spec?: ResourceSpec): Problem[] {
  const { file } = template;
  const problems: Problem[] = [];
  const parameters = new Set(sectionOf(template, "Parameters")?.entries.map((e) => e.key));
  const conditions = new Set(sectionOf(template, "Conditions")?.entries.map((e) => e.key));
  const mappings = sectionOf(template, "Mappings");
  const types = resourceTypes(template);
  const used = new Set<string>();
  const report = (line: number, reason: string) => problems.push({ file, line, reason });

  const checkName = (name: string, line: number, how: string, locals?: Set<string>) => {
    if (locals?.has(name)) return;
    if (parameters.has(name)) used.add(name);
    else if (!types.has(name) && !PSEUDO_PARAMETERS.has(name)) {
      report(line, `${how} ${name}: no such parameter or resource`);
    }
  };

  const checkAttribute = (
    resource: string,
    attribute: string | undefined,
    line: number,
    how: string,
  ) => {
    const type = types.get(resource);
    if (!type) {
      report(line, `${how} ${resource}.${attribute ?? "?"}: no such resource`);
      return;
    }
    const known = spec?.attributes(type);
    // A nested stack's attributes are its outputs, unknown to the specification.
    const nestedOutput = type === "AWS::CloudFormation::Stack" && attribute?.startsWith("Outputs.");
    if (attribute !== undefined && known && !known.has(attribute) && !nestedOutput) {
      report(line, `${how} ${resource}.${attribute}: ${type} has no attribute ${attribute}`);
    }
  };

  const checkCondition = (value: CfnValue, line: number) => {
    const name = stringOf(value);
    if (name === undefined) report(line, "a condition must be named by a string");
    else if (!conditions.has(name)) report(line, `condition ${name} is not defined`);
  };

  const visit = (section: string) => (call: ReturnType<typeof asIntrinsic> & {}) => {
    const { name, arg, line } = call;
    switch (name) {
      case "Ref": {
        const target = stringOf(arg);
        if (target === undefined) report(line, "Ref takes the name of a parameter or resource");
        else checkName(target, line, "Ref");
        break;
      }
      case "Fn::GetAtt": {
        const [resource, attribute] =
          arg.kind === "seq" && arg.items.length === 2
            ? [stringOf(arg.items[0]), stringOf(arg.items[1])]
            : (stringOf(arg)
                ?.match(/^([^.]+)\.(.+)$/)
                ?.slice(1) ?? []);
        if (!resource) report(line, "GetAtt takes a resource and an attribute name");
        // An attribute name computed by another function cannot be checked offline.
        else if (attribute === undefined) checkAttribute(resource, undefined, line, "GetAtt");
        else checkAttribute(resource, attribute, line, "GetAtt");
        break;
      }
      case "Fn::Sub": {
        const text = arg.kind === "seq" ? stringOf(arg.items[0]) : stringOf(arg);
        const localMap = arg.kind === "seq" ? arg.items[1] : undefined;
        const locals = new Set(localMap?.kind === "map" ? localMap.entries.map((e) => e.key) : []);
        if (text === undefined) {
          report(line, "Sub takes a string, or a string and a map of variables");
          break;
        }
        for (const variable of subVariables(text)) {
          const dot = variable.indexOf(".");
          if (dot > 0 && !locals.has(variable)) {
            checkAttribute(variable.slice(0, dot), variable.slice(dot + 1), line, "Sub");
          } else checkName(variable, line, "Sub", locals);
        }
        break;
      }
      case "Fn::FindInMap": {
        const [mapName, first, second] = arg.kind === "seq" ? arg.items.map(stringOf) : [];
        const mapping = mapName && mappings ? fieldOf(mappings, mapName) : undefined;
        if (!mapName || !mapping) report(line, `FindInMap: no mapping named ${mapName ?? "?"}`);
        else if (first && mapping.kind === "map") {
          const level = fieldOf(mapping, first);
          if (!level) report(line, `FindInMap: mapping ${mapName} has no key ${first}`);
          else if (second && level.kind === "map" && !fieldOf(level, second)) {
            report(line, `FindInMap: mapping ${mapName}.${first} has no key ${second}`);
          }
        }
        break;
      }
      case "Fn::If": {
        const first = arg.kind === "seq" ? arg.items[0] : undefined;
        if (arg.kind !== "seq" || arg.items.length !== 3 || !first) {
          report(line, "If takes a condition name and two values");
        } else checkCondition(first, line);
        break;
      }
      case "Condition":
        if (section === "Conditions") checkCondition(arg, line);
        break;
    }
  };

  for (const section of ["Conditions", "Resources", "Outputs"]) {
    const map = sectionOf(template, section);
    if (map) walkIntrinsics(map, visit(section));
  }

  for (const { key, value } of sectionOf(template, "Resources")?.entries ?? []) {
    if (value.kind !== "map") continue;
    const condition = fieldOf(value, "Condition");
    if (condition) checkCondition(condition, condition.line);
    const dependsOn = fieldOf(value, "DependsOn");
    const targets = dependsOn?.kind === "seq" ? dependsOn.items : dependsOn ? [dependsOn] : [];
    for (const target of targets) {
      const name = stringOf(target);
      if (!name || !types.has(name) || name === key) {
        report(target.line, `DependsOn ${name ?? "?"}: no such other resource`);
      }
    }
  }
  for (const { value } of sectionOf(template, "Outputs")?.entries ?? []) {
    const condition = value.kind === "map" ? fieldOf(value, "Condition") : undefined;
    if (condition) checkCondition(condition, condition.line);
  }

  for (const { key, keyLine } of sectionOf(template, "Parameters")?.entries ?? []) {
    if (!used.has(key)) report(keyLine, `parameter ${key} is never used`);
  }
  return problems;
}
