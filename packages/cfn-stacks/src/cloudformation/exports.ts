import {
  type CloudFormationClient,
  paginateListImports,
  type Stack,
} from "@aws-sdk/client-cloudformation";
import { nameKey } from "../checks/imports.js";
import { StackOperationError } from "../errors.js";
import { fieldOf, sectionOf, type Template } from "../template.js";

// How a !Sub writes the Environment parameter: `${Environment}`.
const ENVIRONMENT_VARIABLE = ["$", "{Environment}"].join("");

/** The export names a template declares, with `${Environment}` filled in. */
export function exportNamesOf(template: Template, env: string): Set<string> {
  const names = new Set<string>();
  for (const { value } of sectionOf(template, "Outputs")?.entries ?? []) {
    const exported = value.kind === "map" ? fieldOf(value, "Export") : undefined;
    const name = exported?.kind === "map" ? fieldOf(exported, "Name") : undefined;
    const key = name && nameKey(name);
    if (key) names.add(key.replaceAll(ENVIRONMENT_VARIABLE, env));
  }
  return names;
}

/** The export names of a deployed template (GetTemplate's, as JSON), `${Environment}` filled in. */
export function exportNamesOfJson(template: Record<string, unknown>, env: string): string[] {
  const outputs = (template.Outputs ?? {}) as Record<string, { Export?: { Name?: unknown } }>;
  return Object.values(outputs).flatMap((output) => {
    const name = output?.Export?.Name;
    const text =
      typeof name === "string"
        ? name
        : typeof (name as { "Fn::Sub"?: unknown })?.["Fn::Sub"] === "string"
          ? ((name as { "Fn::Sub": string })["Fn::Sub"] as string)
          : undefined;
    return text ? [text.replaceAll(ENVIRONMENT_VARIABLE, env)] : [];
  });
}

/** The stacks importing an export; none when CloudFormation says it is not imported. */
async function importersOf(cloudformation: CloudFormationClient, exportName: string) {
  const stacks: string[] = [];
  try {
    for await (const page of paginateListImports(
      { client: cloudformation },
      { ExportName: exportName },
    )) {
      stacks.push(...(page.Imports ?? []));
    }
  } catch (error) {
    const e = error as { name?: string; message?: string };
    if (e.name === "ValidationError" && /not imported/i.test(e.message ?? "")) return [];
    throw error;
  }
  return stacks;
}

/**
 * Stops before a change that drops an export another stack still imports:
 * CloudFormation would refuse it only at the end of a long update and roll
 * the whole stack back. Renaming an export is dropping the old name.
 */
export async function refuseRemovingImportedExports(options: {
  cloudformation: CloudFormationClient;
  stack: Stack;
  /** The deployed template, whose exports count even when Outputs lag behind. */
  deployed: Record<string, unknown>;
  template: Template;
  env: string;
}): Promise<void> {
  const kept = exportNamesOf(options.template, options.env);
  const current = new Set([
    ...(options.stack.Outputs ?? []).flatMap((o) => (o.ExportName ? [o.ExportName] : [])),
    ...exportNamesOfJson(options.deployed, options.env),
  ]);
  const dropped = [...current].filter((name) => !kept.has(name));
  for (const exportName of dropped) {
    const importers = await importersOf(options.cloudformation, exportName);
    if (importers.length > 0) {
      throw new StackOperationError(
        `${options.stack.StackName}: this change removes the export ${exportName}, which ${importers.join(", ")} still import${importers.length === 1 ? "s" : ""}; change ${importers.length === 1 ? "that stack" : "those stacks"} first`,
      );
    }
  }
}
