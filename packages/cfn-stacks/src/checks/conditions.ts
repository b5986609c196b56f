import { asIntrinsic, walkIntrinsics } from "../intrinsics.js";
import { type Problem, problemCollector, type Report } from "../problems.js";
import { sectionOf, stringOf, type Template } from "../template.js";
import type { CfnValue } from "../yaml-cfn.js";

const CONDITION_NAME = /^[A-Za-z0-9&_]{1,255}$/;

/** A condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or another Condition (E8001…E8007). */
function checkConditionValue(value: CfnValue, owner: string, report: Report): void {
  const call = asIntrinsic(value);
  const items = call?.arg.kind === "seq" ? call.arg.items : undefined;
  switch (call?.name) {
    case "Fn::Equals":
      if (items?.length !== 2)
        report(value.line, `condition ${owner}: Equals takes two values`, "E8003");
      return;
    case "Fn::Not":
      if (items?.length !== 1)
        report(value.line, `condition ${owner}: Not takes one condition`, "E8005");
      break;
    case "Fn::And":
    case "Fn::Or":
      if (!items || items.length < 2 || items.length > 10) {
        const rule = call.name === "Fn::And" ? "E8004" : "E8006";
        report(
          value.line,
          `condition ${owner}: ${call.name.slice(4)} takes 2 to 10 conditions`,
          rule,
        );
      }
      break;
    case "Condition":
      return;
    default:
      report(
        value.line,
        `condition ${owner} must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition`,
        "E8001",
      );
      return;
  }
  for (const item of items ?? []) checkConditionValue(item, owner, report);
}

/**
 * The Conditions section: every condition a condition function, named as
 * CloudFormation allows, and none depending on itself through others.
 */
export function checkConditions(template: Template): Problem[] {
  const { problems, report } = problemCollector(template.file);
  const section = sectionOf(template, "Conditions");
  const graph = new Map<string, string[]>();
  for (const { key, keyLine, value } of section?.entries ?? []) {
    if (!CONDITION_NAME.test(key)) report(keyLine, `condition name ${key} is not allowed`, "E8001");
    checkConditionValue(value, key, report);
    const refs: string[] = [];
    walkIntrinsics(value, ({ name, arg }) => {
      const target = name === "Condition" ? stringOf(arg) : undefined;
      if (target) refs.push(target);
    });
    graph.set(key, refs);
  }
  // A condition that reaches itself through other conditions can never be evaluated.
  for (const { key, keyLine } of section?.entries ?? []) {
    const seen = new Set<string>();
    const queue = [...(graph.get(key) ?? [])];
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (next === key) {
        const members = [...seen, key].sort().join(", ");
        report(
          keyLine,
          `condition ${key} depends on itself (through ${members})`,
          "E8007",
          `condition-cycle:${members}`,
        );
        break;
      }
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(graph.get(next) ?? []));
    }
  }
  return problems;
}
