import { basename } from "node:path";
import { checkConditions } from "./checks/conditions.js";
import { checkCircularDependencies } from "./checks/dependencies.js";
import { checkFunctions } from "./checks/functions.js";
import { checkImports, collectExports } from "./checks/imports.js";
import { checkOutputValues } from "./checks/outputs.js";
import { checkParameters } from "./checks/parameter-rules.js";
import { checkPolicies } from "./checks/policies.js";
import { checkReferences } from "./checks/references.js";
import { loadResourceSpec, type ResourceSpec } from "./checks/resource-spec.js";
import { checkSections } from "./checks/sections.js";
import { checkSecurity } from "./checks/security.js";
import { checkAgainstSpec } from "./checks/spec-check.js";
import { checkStructure } from "./checks/structure.js";
import { checkWarmPools } from "./checks/warm-pool.js";
import { UsageError } from "./errors.js";
import { dedupeProblems, isCloudFormationRule, type Problem } from "./problems.js";
import { listStacks, loadTemplates, type Template } from "./template.js";
import { parseCfnYaml } from "./yaml-cfn.js";

export interface ValidationResult {
  /** The templates that parsed, of the stacks asked for. */
  templates: Template[];
  problems: Problem[];
  /** The resource specification used, e.g. `@aws-cdk/aws-service-spec@0.1.216`. */
  specSource: string;
}

/** Every check of one template on its own, CloudFormation's rules and this project's. */
export function checkTemplate(template: Template, spec: ResourceSpec): Problem[] {
  return [
    // Order matters for dedupe: of problems with one cause on one line, the first stays.
    ...checkSections(template),
    ...checkParameters(template),
    ...checkConditions(template),
    ...checkFunctions(template),
    ...checkReferences(template, spec),
    ...checkCircularDependencies(template),
    ...checkOutputValues(template, spec),
    ...checkAgainstSpec(template, spec),
    ...checkWarmPools(template),
    ...checkStructure(template),
    ...checkPolicies(template, spec),
    ...checkSecurity(template),
  ];
}

/**
 * What CloudFormation itself refuses in a template body on its own, as it reads
 * it or creates a change set: what the fake CloudFormation of the tests applies.
 * This project's own rules (lint) are left out; imports need other stacks.
 */
export function cloudFormationProblems(
  body: string,
  spec: ResourceSpec,
  file = "template",
): Problem[] {
  const parsed = parseCfnYaml(body);
  if (!parsed.ok) return parsed.problems.map((p) => ({ file, ...p, rule: "E0000" }));
  if (parsed.root.kind !== "map") {
    return [{ file, line: 1, reason: "a template must be a mapping", rule: "E1001" }];
  }
  const template: Template = { stack: file, file, root: parsed.root, body };
  return dedupeProblems(checkTemplate(template, spec).filter(isCloudFormationRule));
}

/**
 * Validates the templates of `stacks` (all of them when empty) offline. Every
 * template in `dir` is read, because imports are matched against the exports
 * of the other stacks.
 */
export async function validateStacks(options: {
  dir: string;
  stacks?: string[];
  spec?: ResourceSpec;
  cwd?: string;
}): Promise<ValidationResult> {
  const known = await listStacks(options.dir);
  const wanted = options.stacks?.length ? options.stacks : known;
  for (const stack of wanted) {
    if (!known.includes(stack)) {
      throw new UsageError(`unknown stack ${stack}; the stacks are ${known.join(", ")}`);
    }
  }
  const spec = options.spec ?? (await loadResourceSpec());
  const loaded = await loadTemplates(options.dir, options.cwd);
  const exports = collectExports(loaded.templates);
  const templates = loaded.templates.filter((t) => wanted.includes(t.stack));
  const problems = loaded.problems.filter((p) =>
    wanted.some((stack) => basename(p.file) === `${stack}.yaml`),
  );
  const unparsed = [...new Set(loaded.problems.map((p) => basename(p.file, ".yaml")))];
  for (const template of templates) {
    problems.push(...checkTemplate(template, spec), ...checkImports(template, exports, unparsed));
  }
  return { templates, problems: dedupeProblems(problems), specSource: spec.source };
}
