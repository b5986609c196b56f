import { readdir, readFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { ConfigError } from "./errors.js";
import type { Problem } from "./problems.js";
import { type CfnEntry, type CfnMap, type CfnValue, parseCfnYaml } from "./yaml-cfn.js";

/** A parsed template: the stack it defines and its top-level mapping. */
export interface Template {
  /** The stack's short name, from the file name: `machines` for machines.yaml. */
  stack: string;
  /** The path shown in problems, relative to the working directory. */
  file: string;
  root: CfnMap;
  /** The template text as it is sent to CloudFormation. */
  body: string;
}

export type LoadResult = { templates: Template[]; problems: Problem[] };

/** The short names of the stacks defined in `dir` (one `NAME.yaml` each), sorted. */
export async function listStacks(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new ConfigError(`cannot read the stacks directory ${dir}`, { cause: error });
  }
  return names
    .filter((n) => n.endsWith(".yaml"))
    .map((n) => basename(n, ".yaml"))
    .sort();
}

/** Reads and parses every template in `dir`; parse problems are returned, not thrown. */
export async function loadTemplates(dir: string, cwd = process.cwd()): Promise<LoadResult> {
  const templates: Template[] = [];
  const problems: Problem[] = [];
  for (const stack of await listStacks(dir)) {
    const path = join(dir, `${stack}.yaml`);
    const file = relative(cwd, path) || path;
    const body = await readFile(path, "utf8");
    const parsed = parseCfnYaml(body);
    if (!parsed.ok) {
      problems.push(...parsed.problems.map((p) => ({ file, ...p, rule: "E0000" })));
    } else if (parsed.root.kind !== "map") {
      problems.push({
        file,
        line: parsed.root.line,
        reason: "a template must be a mapping",
        rule: "E1001",
      });
    } else {
      templates.push({ stack, file, root: parsed.root, body });
    }
  }
  return { templates, problems };
}

export function entryOf(map: CfnMap, key: string): CfnEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

export function fieldOf(map: CfnMap, key: string): CfnValue | undefined {
  return entryOf(map, key)?.value;
}

/** A top-level section (`Resources`, `Parameters`, …) as a mapping, if it is one. */
export function sectionOf(template: Template, name: string): CfnMap | undefined {
  const value = fieldOf(template.root, name);
  return value?.kind === "map" ? value : undefined;
}

export function stringOf(value: CfnValue | undefined): string | undefined {
  return value?.kind === "scalar" && typeof value.value === "string" ? value.value : undefined;
}

/** The resource types by logical id, for GetAtt and spec checks. */
export function resourceTypes(template: Template): Map<string, string> {
  const types = new Map<string, string>();
  for (const { key, value } of sectionOf(template, "Resources")?.entries ?? []) {
    const type = value.kind === "map" ? stringOf(fieldOf(value, "Type")) : undefined;
    if (type) types.set(key, type);
  }
  return types;
}
