import { formatChanges, summarizeChanges } from "../cloudformation/change-table.js";
import type { Context } from "../context.js";
import { formatTable } from "../output.js";
import { resourceTypes } from "../template.js";
import { discardChangeSet, type Plan, type PlanOptions, planChangeSet } from "./plan.js";

/** Prints a plan: its change table, "no changes", or the resources a re-create makes. */
export function printPlan(ctx: Context, plan: Plan): void {
  if (plan.kind === "empty") {
    ctx.out.line(`${plan.stackName}: no changes`);
  } else if (plan.kind === "recreate") {
    ctx.out.line(
      `${plan.stackName} is ${plan.status} after a failed create: deploy will delete it and create these`,
    );
    const rows = [...resourceTypes(plan.template)].map(([id, type]) => ["Add", id, type]);
    for (const line of formatTable(["Action", "Logical ID", "Type"], rows)) ctx.out.line(line);
  } else {
    ctx.out.line(`${plan.stackName}: ${summarizeChanges(plan.changes)}`);
    for (const line of formatChanges(plan.changes)) ctx.out.line(line);
  }
}

/** Shows what deploy would change, then deletes the change set: a dry run of deploy. */
export async function diffCommand(
  ctx: Context,
  options: Omit<PlanOptions, "forDeploy">,
): Promise<void> {
  const plan = await planChangeSet(ctx, { ...options, forDeploy: false });
  try {
    printPlan(ctx, plan);
  } finally {
    if (plan.kind === "changes") await discardChangeSet(ctx, plan);
  }
}
