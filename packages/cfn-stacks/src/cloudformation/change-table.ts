import type { Change } from "@aws-sdk/client-cloudformation";
import { formatTable } from "../output.js";

const IAM_TYPE = /^AWS::IAM::/;

/**
 * The change set as rows: action, logical id, type, replacement. Replacements
 * (`True`, `Conditional`) and IAM changes are called out in a last column,
 * because they are the ones that lose state or widen access.
 */
export function formatChanges(changes: Change[]): string[] {
  const rows = changes.map((change) => {
    const r = change.ResourceChange ?? {};
    const replacement = r.Action === "Modify" ? (r.Replacement ?? "") : "";
    const notes: string[] = [];
    if (replacement === "True") notes.push("!! REPLACED");
    if (replacement === "Conditional") notes.push("! may be replaced");
    if (IAM_TYPE.test(r.ResourceType ?? "")) notes.push("! IAM");
    return [
      r.Action ?? "",
      r.LogicalResourceId ?? "",
      r.ResourceType ?? "",
      replacement || "-",
      notes.join(", "),
    ];
  });
  return formatTable(["Action", "Logical ID", "Type", "Replacement", "Note"], rows);
}

/** One line counting the changes by action and the risky ones. */
export function summarizeChanges(changes: Change[]): string {
  const count = (predicate: (c: Change) => boolean) => changes.filter(predicate).length;
  const parts = [
    `${count((c) => c.ResourceChange?.Action === "Add")} to add`,
    `${count((c) => c.ResourceChange?.Action === "Modify")} to modify`,
    `${count((c) => c.ResourceChange?.Action === "Remove")} to remove`,
  ];
  const replaced = count((c) => c.ResourceChange?.Replacement === "True");
  const conditional = count((c) => c.ResourceChange?.Replacement === "Conditional");
  const iam = count((c) => IAM_TYPE.test(c.ResourceChange?.ResourceType ?? ""));
  if (replaced) parts.push(`${replaced} replaced`);
  if (conditional) parts.push(`${conditional} may be replaced`);
  if (iam) parts.push(`${iam} IAM`);
  return `${changes.length} changes: ${parts.join(", ")}`;
}
