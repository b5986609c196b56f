import { asIntrinsic } from "../intrinsics.js";
import { type Problem, problemCollector, type Report } from "../problems.js";
import { fieldOf, sectionOf, stringOf, type Template } from "../template.js";
import type { CfnMap, CfnValue } from "../yaml-cfn.js";
import { LIMITS, LOGICAL_ID } from "./limits.js";

const SECTIONS = new Set([
  "AWSTemplateFormatVersion",
  "Description",
  "Metadata",
  "Parameters",
  "Rules",
  "Mappings",
  "Conditions",
  "Transform",
  "Resources",
  "Outputs",
]);

const RESOURCE_KEYS = new Set([
  "Type",
  "Properties",
  "DependsOn",
  "Condition",
  "DeletionPolicy",
  "UpdateReplacePolicy",
  "UpdatePolicy",
  "CreationPolicy",
  "Metadata",
]);

const OUTPUT_KEYS = new Set(["Value", "Description", "Export", "Condition"]);

// Types whose DeletionPolicy/UpdateReplacePolicy may be Snapshot.
const SNAPSHOT_TYPES = new Set([
  "AWS::DocDB::DBCluster",
  "AWS::EC2::Volume",
  "AWS::ElastiCache::CacheCluster",
  "AWS::ElastiCache::ReplicationGroup",
  "AWS::Neptune::DBCluster",
  "AWS::RDS::DBCluster",
  "AWS::RDS::DBInstance",
  "AWS::Redshift::Cluster",
]);

/** Where each section's names are reported, and the cfn-lint rule family. */
const NAMED_SECTIONS: Array<{ section: string; what: string; rule: string; limit?: number }> = [
  { section: "Parameters", what: "parameter", rule: "E2001", limit: LIMITS.parameters },
  { section: "Resources", what: "logical id", rule: "E3001", limit: LIMITS.resources },
  { section: "Outputs", what: "output", rule: "E6001", limit: LIMITS.outputs },
  { section: "Mappings", what: "mapping", rule: "E7001", limit: LIMITS.mappings },
];

/**
 * What CloudFormation checks first when it reads a template: known sections,
 * the format version, the quotas, names, and the shape of every resource,
 * output and mapping. Parameters are checked in parameters.ts.
 */
export function checkSections(template: Template): Problem[] {
  const { problems, report } = problemCollector(template.file);
  const bytes = Buffer.byteLength(template.body);
  if (bytes > LIMITS.templateBodyBytes) {
    report(
      1,
      `the template is ${bytes} bytes, over CloudFormation's ${LIMITS.templateBodyBytes} for inline templates; split the stack`,
      "E1002",
    );
  }
  for (const { key, keyLine, value } of template.root.entries) {
    if (!SECTIONS.has(key)) report(keyLine, `unknown section ${key}`, "E1001");
    else if (key !== "Description" && key !== "AWSTemplateFormatVersion" && key !== "Transform") {
      if (value.kind !== "map") report(keyLine, `the ${key} section must be a mapping`, "E1001");
    }
  }
  const version = fieldOf(template.root, "AWSTemplateFormatVersion");
  if (version && stringOf(version) !== "2010-09-09") {
    report(version.line, 'AWSTemplateFormatVersion must be "2010-09-09"', "E1001");
  }
  const description = fieldOf(template.root, "Description");
  if (description) checkDescription(description, LIMITS.descriptionBytes, "the template", report);

  const resources = sectionOf(template, "Resources");
  if (!resources || resources.entries.length === 0) {
    report(1, "the template has no Resources", "E1001");
  }
  for (const { section, what, rule, limit } of NAMED_SECTIONS) {
    const map = sectionOf(template, section);
    if (!map) continue;
    if (limit !== undefined && map.entries.length > limit) {
      report(
        map.line,
        `${map.entries.length} ${section}, over CloudFormation's quota of ${limit}`,
        rule.replace(/01$/, "10"),
      );
    }
    for (const { key, keyLine } of map.entries) {
      if (!LOGICAL_ID.test(key)) report(keyLine, `${what} ${key} must be alphanumeric`, rule);
      else if (key.length > LIMITS.nameLength) {
        report(keyLine, `${what} ${key} is over ${LIMITS.nameLength} characters`, rule);
      }
    }
  }
  checkUniqueNames(template, report);
  for (const { key, keyLine, value } of resources?.entries ?? []) {
    checkResource(key, keyLine, value, report);
  }
  for (const { key, keyLine, value } of sectionOf(template, "Outputs")?.entries ?? []) {
    checkOutput(key, keyLine, value, report);
  }
  for (const { key, keyLine, value } of sectionOf(template, "Mappings")?.entries ?? []) {
    checkMapping(key, keyLine, value, report);
  }
  return problems;
}

/** CloudFormation: "all resources and parameters must have unique names". */
function checkUniqueNames(template: Template, report: Report): void {
  const parameters = sectionOf(template, "Parameters");
  for (const { key, keyLine } of sectionOf(template, "Resources")?.entries ?? []) {
    const parameter = parameters?.entries.find((e) => e.key === key);
    if (parameter) {
      report(
        keyLine,
        `resource ${key} has the name of the parameter at line ${parameter.keyLine}; resources and parameters must have unique names`,
        "E3007",
        `shared-name:${key}`,
      );
    }
  }
}

export function checkDescription(
  value: CfnValue,
  limit: number,
  owner: string,
  report: Report,
): void {
  const text = stringOf(value);
  if (text === undefined)
    report(value.line, `the Description of ${owner} must be a string`, "E1003");
  else if (Buffer.byteLength(text) > limit) {
    report(value.line, `the Description of ${owner} is over ${limit} bytes`, "E1003");
  }
}

function checkResource(key: string, keyLine: number, value: CfnValue, report: Report): void {
  if (value.kind !== "map") {
    report(keyLine, `resource ${key} must be a mapping`, "E3001");
    return;
  }
  const typeValue = fieldOf(value, "Type");
  const type = stringOf(typeValue);
  if (!type) report(typeValue?.line ?? keyLine, `resource ${key} has no Type`, "E3001");
  for (const entry of value.entries) {
    if (!RESOURCE_KEYS.has(entry.key)) {
      report(entry.keyLine, `resource ${key} has an unknown attribute ${entry.key}`, "E3001");
    }
  }
  const condition = fieldOf(value, "Condition");
  if (condition && stringOf(condition) === undefined) {
    report(condition.line, `the Condition of ${key} must name a condition`, "E3001");
  }
  const dependsOn = fieldOf(value, "DependsOn");
  const targets = dependsOn?.kind === "seq" ? dependsOn.items : dependsOn ? [dependsOn] : [];
  if (targets.some((t) => stringOf(t) === undefined)) {
    report(dependsOn?.line ?? keyLine, `DependsOn of ${key} must name resources`, "E3005");
  }
  for (const [attribute, rule, allowed] of [
    ["DeletionPolicy", "E3035", ["Delete", "Retain", "RetainExceptOnCreate"]],
    ["UpdateReplacePolicy", "E3036", ["Delete", "Retain"]],
  ] as const) {
    const policy = fieldOf(value, attribute);
    if (!policy || asIntrinsic(policy)) continue;
    const name = stringOf(policy);
    const valid: string[] = [...allowed];
    if (type && SNAPSHOT_TYPES.has(type)) valid.push("Snapshot");
    if (!name || !valid.includes(name)) {
      report(
        policy.line,
        `${attribute} of ${key} must be one of ${valid.join(", ")}${name === "Snapshot" ? ` (${type} has no snapshots)` : ""}`,
        rule,
      );
    }
  }
  for (const attribute of ["CreationPolicy", "UpdatePolicy", "Metadata"]) {
    const given = fieldOf(value, attribute);
    if (given && given.kind !== "map") {
      report(given.line, `${attribute} of ${key} must be a mapping`, "E3001");
    }
  }
}

function checkOutput(key: string, keyLine: number, value: CfnValue, report: Report): void {
  if (value.kind !== "map") {
    report(keyLine, `output ${key} must be a mapping`, "E6001");
    return;
  }
  for (const entry of value.entries) {
    if (!OUTPUT_KEYS.has(entry.key)) {
      report(entry.keyLine, `output ${key} has an unknown attribute ${entry.key}`, "E6001");
    }
  }
  if (!fieldOf(value, "Value")) report(keyLine, `output ${key} has no Value`, "E6002");
  const description = fieldOf(value, "Description");
  if (description) {
    checkDescription(description, LIMITS.descriptionBytes, `output ${key}`, report);
  }
  const condition = fieldOf(value, "Condition");
  if (condition && stringOf(condition) === undefined) {
    report(condition.line, `the Condition of output ${key} must name a condition`, "E6001");
  }
  const exported = fieldOf(value, "Export");
  if (!exported) return;
  const name = exported.kind === "map" ? fieldOf(exported, "Name") : undefined;
  if (exported.kind !== "map" || !name) {
    report(exported.line, `output ${key}: Export must be a mapping with a Name`, "E6001");
    return;
  }
  const fixed = staticText(name);
  if (fixed !== undefined && fixed.length > LIMITS.exportNameLength) {
    report(
      name.line,
      `output ${key}: the export name is over ${LIMITS.exportNameLength} characters`,
      "E6001",
    );
  }
}

/** The literal part of a string or a Fn::Sub template: a lower bound of its length. */
function staticText(value: CfnValue): string | undefined {
  const literal = stringOf(value);
  if (literal !== undefined) return literal;
  const call = asIntrinsic(value);
  if (call?.name !== "Fn::Sub") return undefined;
  const text = call.arg.kind === "seq" ? stringOf(call.arg.items[0]) : stringOf(call.arg);
  return text?.replace(/\$\{[^!][^}]*\}/g, "");
}

function checkMapping(key: string, keyLine: number, value: CfnValue, report: Report): void {
  const levels = value.kind === "map" ? value.entries : undefined;
  if (!levels || levels.length === 0) {
    report(keyLine, `mapping ${key} must map keys to mappings of values`, "E7001");
    return;
  }
  if (levels.length > LIMITS.mappingAttributes) {
    report(keyLine, `mapping ${key} has over ${LIMITS.mappingAttributes} keys`, "E7001");
  }
  for (const level of levels) {
    const inner = level.value as CfnMap;
    if (level.value.kind !== "map" || inner.entries.length === 0) {
      report(level.keyLine, `mapping ${key}.${level.key} must be a mapping of values`, "E7001");
      continue;
    }
    if (!/^[A-Za-z0-9.-]+$/.test(level.key)) {
      report(level.keyLine, `mapping key ${key}.${level.key} must be alphanumeric`, "E7001");
    }
    if (inner.entries.length > LIMITS.mappingAttributes) {
      report(level.keyLine, `mapping ${key}.${level.key} has over 200 attributes`, "E7001");
    }
    for (const attribute of inner.entries) {
      if (!LOGICAL_ID.test(attribute.key)) {
        report(
          attribute.keyLine,
          `mapping attribute ${attribute.key} must be alphanumeric`,
          "E7001",
        );
      }
      if (attribute.value.kind === "map") {
        report(
          attribute.keyLine,
          `mapping value ${key}.${level.key}.${attribute.key} must be a string, number or list`,
          "E7001",
        );
      }
    }
  }
}
