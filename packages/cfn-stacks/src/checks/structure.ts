import { CODE_BUCKET_PARAMETER, LAMBDA_CODE_METADATA } from "../lambda-code.js";
import type { Problem } from "../problems.js";
import { sectionOf, stringOf, type Template } from "../template.js";

/**
 * This project's own shape: the `Environment` parameter that scopes every
 * stack's resources, and the Lambda code metadata deploy reads.
 */
export function checkStructure(template: Template): Problem[] {
  const { file } = template;
  const problems: Problem[] = [...checkLambdaCodeMetadata(template)];
  const parameters = sectionOf(template, "Parameters");
  if (!parameters?.entries.some((e) => e.key === "Environment")) {
    problems.push({
      file,
      line: 1,
      reason: "every stack takes an Environment parameter to scope its resources",
      rule: "restyled/environment",
      // Used but not declared: the same mistake as each undefined `Ref Environment`.
      cause: "undefined:Environment",
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
        rule: "restyled/lambda-code",
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
      rule: "restyled/lambda-code",
    });
  }
  for (const { key, keyLine, value } of entry.value.entries) {
    if (!parameters.has(key)) {
      problems.push({
        file,
        line: keyLine,
        reason: `${LAMBDA_CODE_METADATA}: no parameter ${key}`,
        rule: "restyled/lambda-code",
      });
    }
    if (!stringOf(value)?.startsWith("@")) {
      problems.push({
        file,
        line: keyLine,
        reason: `${LAMBDA_CODE_METADATA}: ${key} must name a package`,
        rule: "restyled/lambda-code",
      });
    }
  }
  return problems;
}
