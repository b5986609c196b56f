import type { Problem } from "../problems.js";
import { fieldOf, sectionOf, stringOf, type Template } from "../template.js";

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

/** CloudFormation's limit for a template sent inline (TemplateBody). */
export const MAX_TEMPLATE_BYTES = 51_200;

const PARAMETER_TYPES =
  /^(String|Number|List<Number>|CommaDelimitedList|AWS::[A-Za-z0-9:]+|List<AWS::[A-Za-z0-9:]+>|AWS::SSM::Parameter::Value<[A-Za-z0-9:<>]+>)$/;

/**
 * The shape every template here must have: known sections, resources with a
 * Type, parameters with a Type, and the `Environment` parameter that scopes
 * every stack's resources.
 */
export function checkStructure(template: Template): Problem[] {
  const { file } = template;
  const problems: Problem[] = [];
  const bytes = Buffer.byteLength(template.body);
  if (bytes > MAX_TEMPLATE_BYTES) {
    problems.push({
      file,
      line: 1,
      reason: `the template is ${bytes} bytes, over CloudFormation's ${MAX_TEMPLATE_BYTES} for inline templates; split the stack`,
    });
  }
  for (const { key, keyLine } of template.root.entries) {
    if (!SECTIONS.has(key))
      problems.push({ file, line: keyLine, reason: `unknown section ${key}` });
  }
  const resources = sectionOf(template, "Resources");
  if (!resources || resources.entries.length === 0) {
    problems.push({ file, line: 1, reason: "the template has no Resources" });
  }
  for (const { key, keyLine, value } of resources?.entries ?? []) {
    if (!/^[A-Za-z0-9]+$/.test(key)) {
      problems.push({ file, line: keyLine, reason: `logical id ${key} must be alphanumeric` });
    }
    if (value.kind !== "map") {
      problems.push({ file, line: keyLine, reason: `resource ${key} must be a mapping` });
      continue;
    }
    if (!stringOf(fieldOf(value, "Type"))) {
      problems.push({ file, line: keyLine, reason: `resource ${key} has no Type` });
    }
    for (const entry of value.entries) {
      if (!RESOURCE_KEYS.has(entry.key)) {
        problems.push({
          file,
          line: entry.keyLine,
          reason: `resource ${key} has an unknown attribute ${entry.key}`,
        });
      }
    }
  }
  const parameters = sectionOf(template, "Parameters");
  for (const { key, keyLine, value } of parameters?.entries ?? []) {
    const type = value.kind === "map" ? stringOf(fieldOf(value, "Type")) : undefined;
    if (!type || !PARAMETER_TYPES.test(type)) {
      problems.push({ file, line: keyLine, reason: `parameter ${key} needs a valid Type` });
    }
  }
  if (!parameters?.entries.some((e) => e.key === "Environment")) {
    problems.push({
      file,
      line: 1,
      reason: "every stack takes an Environment parameter to scope its resources",
    });
  }
  return problems;
}
