import { asIntrinsic, walkIntrinsics } from "../intrinsics.js";
import type { Problem } from "../problems.js";
import { fieldOf, sectionOf, stringOf, type Template } from "../template.js";
import type { CfnValue } from "../yaml-cfn.js";

/**
 * An export or import name in a comparable form: a literal, or a Fn::Sub
 * template whose `${Environment}` stays symbolic (every stack shares it).
 */
export function nameKey(value: CfnValue): string | undefined {
  const literal = stringOf(value);
  if (literal !== undefined) return literal;
  const call = asIntrinsic(value);
  if (call?.name === "Fn::Sub") return stringOf(call.arg);
  return undefined;
}

export interface Export {
  name: string;
  stack: string;
}

/** Every export of every template, by comparable name. */
export function collectExports(templates: Template[]): Map<string, Export> {
  const exports = new Map<string, Export>();
  for (const template of templates) {
    for (const { value } of sectionOf(template, "Outputs")?.entries ?? []) {
      const exported = value.kind === "map" ? fieldOf(value, "Export") : undefined;
      const name = exported?.kind === "map" ? fieldOf(exported, "Name") : undefined;
      const key = name && nameKey(name);
      // The first (alphabetical) stack keeps the name; checkImports reports the rest.
      if (key && !exports.has(key)) exports.set(key, { name: key, stack: template.stack });
    }
  }
  return exports;
}

/**
 * Every ImportValue names an export of another stack in this directory.
 * `unparsed` names the templates that failed to parse, whose exports are unknown.
 */
export function checkImports(
  template: Template,
  exports: Map<string, Export>,
  unparsed: string[] = [],
): Problem[] {
  const { file } = template;
  const problems: Problem[] = [];
  for (const { key, value } of sectionOf(template, "Outputs")?.entries ?? []) {
    const exported = value.kind === "map" ? fieldOf(value, "Export") : undefined;
    const name = exported?.kind === "map" ? fieldOf(exported, "Name") : undefined;
    const exportKey = name && nameKey(name);
    const owner = exportKey ? exports.get(exportKey) : undefined;
    if (exportKey && owner && owner.stack !== template.stack) {
      problems.push({
        file,
        line: name.line,
        reason: `output ${key}: export ${exportKey} is already exported by ${owner.stack}; export names are unique per region`,
        rule: "cfn/export-unique",
      });
    }
    // An Export without a Name is reported by the sections check.
    // A list or mapping is not a name at all: the outputs check reports it (E6102).
    if (name && !nameKey(name) && asIntrinsic(name)) {
      problems.push({
        file,
        line: name.line,
        reason: `output ${key}: an export name must be a string or a !Sub so imports can be matched`,
        rule: "restyled/export-name",
      });
    }
  }
  walkIntrinsics(template.root, ({ name, arg, line }) => {
    if (name !== "Fn::ImportValue") return;
    const key = nameKey(arg);
    const found = key ? exports.get(key) : undefined;
    // A list or mapping is not a name at all: the functions check reports it (E1016).
    if (!key && !asIntrinsic(arg)) return;
    if (!key) {
      problems.push({
        file,
        line,
        reason: "ImportValue must name the export with a string or a !Sub so it can be checked",
        rule: "restyled/export-name",
      });
    } else if (!found) {
      const hint = unparsed.length ? ` (${unparsed.join(", ")} did not parse)` : "";
      problems.push({
        file,
        line,
        reason: `ImportValue ${key} matches no export of the stacks here${hint}`,
        rule: "cfn/import-exists",
        cause: `import:${key}`,
      });
    } else if (found.stack === template.stack) {
      problems.push({
        file,
        line,
        reason: `ImportValue ${key} is exported by this same stack`,
        rule: "cfn/import-own-export",
      });
    }
  });
  return problems;
}

/** The stacks a template imports from, for deploy order. */
export function importedStacks(template: Template, exports: Map<string, Export>): Set<string> {
  const stacks = new Set<string>();
  walkIntrinsics(template.root, ({ name, arg }) => {
    const key = name === "Fn::ImportValue" ? nameKey(arg) : undefined;
    const found = key ? exports.get(key) : undefined;
    if (found && found.stack !== template.stack) stacks.add(found.stack);
  });
  return stacks;
}
