import type { FakeStack } from "./fake-cloudformation.js";
import type { AcceptedTemplate } from "./fake-cloudformation-rules.js";

// Exports and imports across the fake's stacks, as CloudFormation keeps them
// per account and region: a name has one exporter, and cannot go while imported.

const live = (stack: FakeStack) => stack.StackStatus !== "DELETE_COMPLETE";

/** Export name → exporting stack, over the stacks that exist (but `except`). */
export function liveExports(
  stacks: Map<string, FakeStack>,
  except?: FakeStack,
): Map<string, string> {
  const exports = new Map<string, string>();
  for (const stack of stacks.values()) {
    if (stack === except || !live(stack)) continue;
    for (const name of stack.accepted?.exports ?? []) exports.set(name, stack.StackName);
  }
  return exports;
}

/** The first of `names` another live stack imports, with that stack's name. */
export function importedElsewhere(
  stacks: Map<string, FakeStack>,
  names: string[],
  owner: FakeStack,
): [string, string] | undefined {
  for (const stack of stacks.values()) {
    if (stack === owner || !live(stack)) continue;
    const name = names.find((n) => stack.accepted?.imports.includes(n));
    if (name) return [name, stack.StackName];
  }
  return undefined;
}

/**
 * Why executing would fail on exports, in CloudFormation's words: a name another
 * stack already exports, or one this stack stops exporting while another imports it.
 */
export function exportConflict(
  stacks: Map<string, FakeStack>,
  stack: FakeStack,
  accepted?: AcceptedTemplate,
): string | undefined {
  if (!accepted) return undefined;
  const others = liveExports(stacks, stack);
  const taken = accepted.exports.find((name) => others.has(name));
  if (taken) return `Export with name ${taken} is already exported by stack ${others.get(taken)}`;
  const removed = (stack.accepted?.exports ?? []).filter((n) => !accepted.exports.includes(n));
  const inUse = importedElsewhere(stacks, removed, stack);
  if (inUse) return `Export ${inUse[0]} cannot be deleted as it is in use by ${inUse[1]}`;
  return undefined;
}
