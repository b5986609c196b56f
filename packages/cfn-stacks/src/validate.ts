import { basename } from "node:path";
import { checkImports, collectExports } from "./checks/imports.js";
import { checkReferences } from "./checks/references.js";
import { loadResourceSpec, type ResourceSpec } from "./checks/resource-spec.js";
import { checkSecurity } from "./checks/security.js";
import { checkAgainstSpec } from "./checks/spec-check.js";
import { checkStructure } from "./checks/structure.js";
import { UsageError } from "./errors.js";
import { type Problem, sortProblems } from "./problems.js";
import { listStacks, loadTemplates, type Template } from "./template.js";

export interface ValidationResult {
  /** The templates that parsed, of the stacks asked for. */
  templates: Template[];
  problems: Problem[];
  /** The resource specification used, e.g. `@aws-cdk/aws-service-spec@0.1.216`. */
  specSource: string;
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
    problems.push(
      ...checkStructure(template),
      ...checkReferences(template, spec),
      ...checkAgainstSpec(template, spec),
      ...checkSecurity(template),
      ...checkImports(template, exports, unparsed),
    );
  }
  return { templates, problems: sortProblems(problems), specSource: spec.source };
}
