import { CODE_BUCKET_PARAMETER, LAMBDA_CODE_METADATA } from "../lambda-code.js";
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
  problems.push(...checkLambdaCodeMetadata(template));
  if (!parameters?.entries.some((e) => e.key === "Environment")) {
    problems.push({
      file,
      line: 1,
      reason: "every stack takes an Environment parameter to scope its resources",
    });
  }
  return problems;
}

/**
 * `Metadata: Restyled::LambdaCode` maps parameters to the workspace packages
 * deploy builds; each must be a declared parameter, and CodeBucket must exist.
 */
function checkLambdaCodeMetadata(template: Template): Problem[] {
  const { file } = template;
  const declared = sectionOf(template, "Metadata");
  const entry = declared?.entries.find((e) => e.key === LAMBDA_CODE_METADATA);
  if (!entry) return [];
  if (entry.value.kind !== "map") {
    return [
      {
        file,
        line: entry.keyLine,
        reason: `${LAMBDA_CODE_METADATA} must map parameters to packages`,
      },
    ];
  }
  const parameters = new Set(sectionOf(template, "Parameters")?.entries.map((e) => e.key));
  const problems: Problem[] = [];
  if (!parameters.has(CODE_BUCKET_PARAMETER)) {
    problems.push({
      file,
      line: entry.keyLine,
      reason: `${LAMBDA_CODE_METADATA} needs a ${CODE_BUCKET_PARAMETER} parameter for the bucket`,
    });
  }
  for (const { key, keyLine, value } of entry.value.entries) {
    if (!parameters.has(key)) {
      problems.push({
        file,
        line: keyLine,
        reason: `${LAMBDA_CODE_METADATA}: no parameter ${key}`,
      });
    }
    if (!stringOf(value)?.startsWith("@")) {
      problems.push({
        file,
        line: keyLine,
        reason: `${LAMBDA_CODE_METADATA}: ${key} must name a package`,
      });
    }
  }
  return problems;
}
