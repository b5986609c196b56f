import { subVariables, walkIntrinsics } from "../intrinsics.js";
import { type Problem, problemCollector } from "../problems.js";
import { fieldOf, sectionOf, stringOf, type Template } from "../template.js";
import { getAttTarget, subParts } from "./references.js";

/** The resources each resource waits for: through Ref, GetAtt, Sub and DependsOn. */
export function resourceDependencies(template: Template): Map<string, Set<string>> {
  const resources = sectionOf(template, "Resources")?.entries ?? [];
  const names = new Set(resources.map((e) => e.key));
  const graph = new Map<string, Set<string>>();
  for (const { key, value } of resources) {
    const edges = new Set<string>();
    const add = (name: string | undefined) => {
      if (name !== undefined && names.has(name)) edges.add(name);
    };
    walkIntrinsics(value, ({ name, arg }) => {
      if (name === "Ref") add(stringOf(arg));
      else if (name === "Fn::GetAtt") add(getAttTarget(arg).resource);
      else if (name === "Fn::Sub") {
        const { text, locals } = subParts(arg);
        for (const variable of subVariables(text ?? "")) {
          if (!locals.has(variable)) add(variable.split(".")[0]);
        }
      }
    });
    const dependsOn = value.kind === "map" ? fieldOf(value, "DependsOn") : undefined;
    for (const target of dependsOn?.kind === "seq"
      ? dependsOn.items
      : dependsOn
        ? [dependsOn]
        : []) {
      // Depending on oneself is reported by the DependsOn check, as itself.
      const name = stringOf(target);
      if (name !== key) add(name);
    }
    graph.set(key, edges);
  }
  return graph;
}

/** Strongly connected components (Tarjan), each a set of mutually dependent resources. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = graph.get(node)?.has(node) === true;
      if (component.length > 1 || selfLoop) found.push(component);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return found;
}

/**
 * Resources that wait for each other can never be created: CloudFormation
 * refuses the template ("Circular dependency between resources"), cfn-lint E3004.
 * One problem per cycle, at its first resource.
 */
export function checkCircularDependencies(template: Template): Problem[] {
  const { problems, report } = problemCollector(template.file);
  const entries = sectionOf(template, "Resources")?.entries ?? [];
  const lineOf = new Map(entries.map((e) => [e.key, e.keyLine]));
  const parameters = new Set(sectionOf(template, "Parameters")?.entries.map((e) => e.key));
  for (const component of cycles(resourceDependencies(template))) {
    const members = component.sort((a, b) => (lineOf.get(a) ?? 0) - (lineOf.get(b) ?? 0));
    const [first] = members;
    if (!first) continue;
    if (members.length === 1) {
      // A resource named like a parameter, referring to "it", is the shared name's fault.
      const cause = parameters.has(first) ? `shared-name:${first}` : undefined;
      report(
        lineOf.get(first) ?? 1,
        `circular dependency: resource ${first} refers to itself`,
        "E3004",
        cause,
      );
    } else {
      report(
        lineOf.get(first) ?? 1,
        `circular dependency between resources ${members.join(", ")} (through Ref, GetAtt, Sub or DependsOn)`,
        "E3004",
      );
    }
  }
  return problems;
}
