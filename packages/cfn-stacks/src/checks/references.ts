import { type Intrinsic, PSEUDO_PARAMETERS, subVariables, walkIntrinsics } from "../intrinsics.js";
import { type Problem, problemCollector } from "../problems.js";
import { fieldOf, resourceTypes, sectionOf, stringOf, type Template } from "../template.js";
import type { CfnValue } from "../yaml-cfn.js";
import { closestName } from "./names.js";
import type { ResourceSpec } from "./resource-spec.js";

/** How a GetAtt argument names its resource and attribute (`R.Attr` or `[R, Attr]`). */
export function getAttTarget(arg: CfnValue): { resource?: string; attribute?: string } {
  if (arg.kind === "seq" && arg.items.length === 2) {
    return { resource: stringOf(arg.items[0]), attribute: stringOf(arg.items[1]) };
  }
  const match = stringOf(arg)?.match(/^([^.]+)\.(.+)$/);
  return { resource: match?.[1], attribute: match?.[2] };
}

/** The template string and local variable names of a Fn::Sub argument. */
export function subParts(arg: CfnValue): { text?: string; locals: Set<string>; ok: boolean } {
  if (arg.kind === "seq") {
    const locals = arg.items[1];
    const ok = arg.items.length === 2 && locals?.kind === "map";
    const names = locals?.kind === "map" ? locals.entries.map((e) => e.key) : [];
    return { text: stringOf(arg.items[0]), locals: new Set(names), ok };
  }
  return { text: stringOf(arg), locals: new Set(), ok: stringOf(arg) !== undefined };
}

/**
 * Every Ref, GetAtt, Sub variable, FindInMap, If, Condition and DependsOn names
 * something that exists (cfn-lint E1010, E1011, E1012, E1019, E1028, E3005,
 * E8002), and every parameter is used (W2001, an error here). A name used
 * several times while undefined is one problem, pointing at a likely
 * misspelling among the declared names.
 */
export function checkReferences(template: Template, spec?: ResourceSpec): Problem[] {
  const { problems, report } = problemCollector(template.file);
  const parameters = new Set(sectionOf(template, "Parameters")?.entries.map((e) => e.key));
  const conditions = new Set(sectionOf(template, "Conditions")?.entries.map((e) => e.key));
  const resources = new Set(sectionOf(template, "Resources")?.entries.map((e) => e.key));
  const mappings = sectionOf(template, "Mappings");
  const types = resourceTypes(template);
  const used = new Set<string>();
  const usedConditions = new Set<string>();
  const missingNames = new Set<string>();
  const missingConditions = new Set<string>();

  const missing = (options: { name: string; line: number; label: string; rule: string }) => {
    const { name, line, label, rule } = options;
    const candidates = label.startsWith("Ref") || label.startsWith("Sub") ? [...parameters] : [];
    const hint = closestName(name, [...candidates, ...resources]);
    const what = candidates.length ? "no such parameter or resource" : "no such resource";
    missingNames.add(name);
    report(
      line,
      `${label}: ${what}${hint ? ` (did you mean ${hint}?)` : ""}`,
      rule,
      `undefined:${name}`,
    );
  };

  const checkName = (name: string, line: number, how: string, section: string, rule: string) => {
    if (parameters.has(name)) used.add(name);
    if (parameters.has(name) || PSEUDO_PARAMETERS.has(name)) return;
    if (!resources.has(name)) missing({ name, line, label: `${how} ${name}`, rule });
    else if (section === "Conditions") {
      report(line, `${how} ${name}: a condition cannot refer to a resource`, rule);
    }
  };

  const checkAttribute = (resource: string, attribute: string, line: number, how: string) => {
    if (!resources.has(resource)) {
      const label = `${how} ${resource}.${attribute}`;
      if (parameters.has(resource))
        report(line, `${label}: ${resource} is a parameter, not a resource`, "E1010");
      else missing({ name: resource, line, label, rule: "E1010" });
      return;
    }
    const type = types.get(resource);
    const known = type ? spec?.attributes(type) : undefined;
    // A nested stack's attributes are its outputs, unknown to the specification.
    const nestedOutput = type === "AWS::CloudFormation::Stack" && attribute.startsWith("Outputs.");
    if (known && !known.has(attribute) && !nestedOutput) {
      const hint = closestName(attribute, known);
      report(
        line,
        `${how} ${resource}.${attribute}: ${type} has no attribute ${attribute}${hint ? ` (did you mean ${hint}?)` : ""}`,
        "E1010",
      );
    }
  };

  const checkCondition = (value: CfnValue, line: number) => {
    const name = stringOf(value);
    if (name === undefined) {
      report(line, "a condition must be named by a string", "E8002");
      return;
    }
    usedConditions.add(name);
    if (conditions.has(name)) return;
    missingConditions.add(name);
    const hint = closestName(name, conditions);
    report(
      line,
      `condition ${name} is not defined${hint ? ` (did you mean ${hint}?)` : ""}`,
      "E8002",
      `undefined-condition:${name}`,
    );
  };

  const visit = (section: string) => (call: Intrinsic) => {
    const { name, arg, line } = call;
    switch (name) {
      case "Ref": {
        const target = stringOf(arg);
        if (target === undefined) {
          report(line, "Ref takes the name of a parameter or resource", "E1020");
        } else checkName(target, line, "Ref", section, "E1012");
        break;
      }
      case "Fn::GetAtt": {
        const { resource, attribute } = getAttTarget(arg);
        if (!resource) report(line, "GetAtt takes a resource and an attribute name", "E1010");
        else if (section === "Conditions") {
          report(line, `GetAtt ${resource}: a condition cannot refer to a resource`, "E1010");
        }
        // An attribute name computed by another function cannot be checked offline.
        else if (attribute === undefined) {
          if (!resources.has(resource))
            missing({ name: resource, line, label: `GetAtt ${resource}`, rule: "E1010" });
        } else checkAttribute(resource, attribute, line, "GetAtt");
        break;
      }
      case "Fn::Sub": {
        const { text, locals, ok } = subParts(arg);
        if (text === undefined || !ok) {
          report(line, "Sub takes a string, or a string and a map of variables", "E1019");
          break;
        }
        for (const variable of subVariables(text)) {
          if (locals.has(variable)) continue;
          const dot = variable.indexOf(".");
          if (dot > 0) checkAttribute(variable.slice(0, dot), variable.slice(dot + 1), line, "Sub");
          else checkName(variable, line, "Sub", section, "E1019");
        }
        break;
      }
      case "Fn::FindInMap": {
        // A malformed call is reported by the functions check.
        if (arg.kind !== "seq" || arg.items.length < 3) break;
        const [mapName, first, second] = arg.kind === "seq" ? arg.items.map(stringOf) : [];
        const mapping = mapName && mappings ? fieldOf(mappings, mapName) : undefined;
        if (!mapName || !mapping) {
          report(
            line,
            `FindInMap: no mapping named ${mapName ?? "?"}`,
            "E1011",
            `mapping:${mapName}`,
          );
        } else if (first && mapping.kind === "map") {
          const level = fieldOf(mapping, first);
          if (!level) report(line, `FindInMap: mapping ${mapName} has no key ${first}`, "E1011");
          else if (second && level.kind === "map" && !fieldOf(level, second)) {
            report(line, `FindInMap: mapping ${mapName}.${first} has no key ${second}`, "E1011");
          }
        }
        break;
      }
      case "Fn::If": {
        const first = arg.kind === "seq" ? arg.items[0] : undefined;
        if (arg.kind !== "seq" || arg.items.length !== 3 || !first) {
          report(line, "If takes a condition name and two values", "E1028");
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
    if (condition && stringOf(condition) !== undefined) checkCondition(condition, condition.line);
    const dependsOn = fieldOf(value, "DependsOn");
    const targets = dependsOn?.kind === "seq" ? dependsOn.items : dependsOn ? [dependsOn] : [];
    for (const target of targets) {
      const name = stringOf(target);
      if (name === undefined) continue; // sections.ts reports the shape
      if (name === key)
        report(target.line, `DependsOn ${name}: a resource cannot depend on itself`, "E3005");
      else if (!resources.has(name))
        missing({ name, line: target.line, label: `DependsOn ${name}`, rule: "E3005" });
    }
  }
  for (const { value } of sectionOf(template, "Outputs")?.entries ?? []) {
    const condition = value.kind === "map" ? fieldOf(value, "Condition") : undefined;
    if (condition && stringOf(condition) !== undefined) checkCondition(condition, condition.line);
  }

  for (const { key, keyLine } of sectionOf(template, "Parameters")?.entries ?? []) {
    if (used.has(key)) continue;
    // Declared under one name and used under another: one problem, not two.
    const typo = [...missingNames].find((name) => closestName(name, [key]) === key);
    report(
      keyLine,
      `parameter ${key} is never used`,
      "W2001",
      typo ? `undefined:${typo}` : undefined,
    );
  }
  checkUnusedConditions(template, usedConditions, missingConditions, report);
  return problems;
}

/** Conditions no resource, output or other condition uses (W8001, an error here). */
function checkUnusedConditions(
  template: Template,
  used: Set<string>,
  missing: Set<string>,
  report: ReturnType<typeof problemCollector>["report"],
): void {
  for (const { key, keyLine } of sectionOf(template, "Conditions")?.entries ?? []) {
    if (used.has(key)) continue;
    const typo = [...missing].find((name) => closestName(name, [key]) === key);
    report(
      keyLine,
      `condition ${key} is never used`,
      "W8001",
      typo ? `undefined-condition:${typo}` : undefined,
    );
  }
}
