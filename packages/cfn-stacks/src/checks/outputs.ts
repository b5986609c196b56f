import { asIntrinsic } from "../intrinsics.js";
import { type Problem, problemCollector } from "../problems.js";
import { fieldOf, resourceTypes, sectionOf, stringOf, type Template } from "../template.js";
import type { CfnValue } from "../yaml-cfn.js";
import { getAttTarget } from "./references.js";
import type { ResourceSpec } from "./resource-spec.js";

// Functions whose result is always a list.
const LIST_FUNCTIONS = new Set(["Fn::GetAZs", "Fn::Split", "Fn::Cidr"]);

/**
 * Why a value would be a list or a mapping rather than a string, or undefined.
 * Only what is certain offline counts: literals, list-returning functions, a
 * Ref to a list parameter, a GetAtt of a list attribute.
 */
function nonStringReason(
  value: CfnValue,
  context: { listParameters: Set<string>; types: Map<string, string>; spec?: ResourceSpec },
): string | undefined {
  const call = asIntrinsic(value);
  if (!call) {
    if (value.kind === "seq") return "a list";
    if (value.kind === "map") return "a mapping";
    return undefined;
  }
  if (LIST_FUNCTIONS.has(call.name)) return `a list (${call.name} returns one)`;
  if (call.name === "Ref") {
    const name = stringOf(call.arg);
    if (name && context.listParameters.has(name)) return `a list (parameter ${name} is one)`;
  }
  if (call.name === "Fn::GetAtt") {
    const { resource, attribute } = getAttTarget(call.arg);
    const type = resource ? context.types.get(resource) : undefined;
    if (type && attribute && context.spec?.listAttributes(type).has(attribute)) {
      return `a list (${type} ${attribute} is one)`;
    }
  }
  if (call.name === "Fn::If" && call.arg.kind === "seq") {
    for (const branch of call.arg.items.slice(1)) {
      const reason = nonStringReason(branch, context);
      if (reason) return reason;
    }
  }
  return undefined;
}

/** Output values and export names must be strings (cfn-lint E6101, E6102). */
export function checkOutputValues(template: Template, spec?: ResourceSpec): Problem[] {
  const { problems, report } = problemCollector(template.file);
  const listParameters = new Set(
    (sectionOf(template, "Parameters")?.entries ?? [])
      .filter((e) => {
        const type = e.value.kind === "map" ? stringOf(fieldOf(e.value, "Type")) : undefined;
        return type === "CommaDelimitedList" || type?.startsWith("List<") === true;
      })
      .map((e) => e.key),
  );
  const context = { listParameters, types: resourceTypes(template), spec };
  for (const { key, value } of sectionOf(template, "Outputs")?.entries ?? []) {
    if (value.kind !== "map") continue;
    const output = fieldOf(value, "Value");
    const reason = output && nonStringReason(output, context);
    if (output && reason) {
      report(
        output.line,
        `output ${key}: the Value must be a string, not ${reason}; join it`,
        "E6101",
      );
    }
    const exported = fieldOf(value, "Export");
    const name = exported?.kind === "map" ? fieldOf(exported, "Name") : undefined;
    const nameReason = name && nonStringReason(name, context);
    if (name && nameReason) {
      report(
        name.line,
        `output ${key}: the export name must be a string, not ${nameReason}`,
        "E6102",
      );
    }
  }
  return problems;
}
