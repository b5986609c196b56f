import { fileURLToPath } from "node:url";
import { beforeAll, expect } from "vitest";
import { fieldOf, loadTemplates, sectionOf, type Template } from "../src/template.js";
import type { CfnValue } from "../src/yaml-cfn.js";

export const shippedStacks = fileURLToPath(new URL("../../../stacks", import.meta.url));

/** Loads stacks/ once per test file and gives plain-JS views of its parts. */
export function useShippedTemplates() {
  const templates = new Map<string, Template>();
  beforeAll(async () => {
    const { templates: loaded, problems } = await loadTemplates(shippedStacks);
    expect(problems).toEqual([]);
    for (const t of loaded) templates.set(t.stack, t);
  });

  function resource(stack: string, id: string) {
    const value = fieldOf(sectionOf(templates.get(stack)!, "Resources")!, id);
    if (value?.kind !== "map") throw new Error(`${stack} has no resource ${id}`);
    return value;
  }

  function property(stack: string, id: string, path: string): CfnValue | undefined {
    let value: CfnValue | undefined = fieldOf(resource(stack, id), "Properties");
    for (const key of path.split("."))
      value = value?.kind === "map" ? fieldOf(value, key) : undefined;
    return value;
  }

  function envVars(stack: string, id: string): string[] {
    const variables = property(stack, id, "Environment.Variables");
    return variables?.kind === "map" ? variables.entries.map((e) => e.key).sort() : [];
  }

  /** Every statement of a role's inline policies, flattened. */
  function statements(stack: string, role: string): Array<Record<string, unknown>> {
    const policies = plain(property(stack, role, "Policies")) as Array<{
      PolicyDocument: { Statement: Array<Record<string, unknown>> };
    }>;
    return policies.flatMap((p) => p.PolicyDocument.Statement);
  }

  /** Every resource of a stack as [logical id, plain value]. */
  function resources(stack: string): Array<[string, Record<string, unknown>]> {
    return (sectionOf(templates.get(stack)!, "Resources")?.entries ?? []).map((e) => [
      e.key,
      plain(e.value) as Record<string, unknown>,
    ]);
  }

  return { templates, resource, property, plain, envVars, statements, resources, ENV };
}

/** A plain-JS view of a value, intrinsics kept as their one-key objects. */
export function plain(value: CfnValue | undefined): unknown {
  if (!value) return undefined;
  if (value.kind === "scalar") return value.value;
  if (value.kind === "seq") return value.items.map(plain);
  return Object.fromEntries(value.entries.map((e) => [e.key, plain(e.value)]));
}

/** The Sub variable every stack scopes its names with, as written in templates. */
export const ENV = ["$", "{Environment}"].join("");
