import { formatChanges, summarizeChanges } from "../cloudformation/change-table.js";
import {
  parameterChangeLines,
  parameterValues,
  propertyDiffLines,
  withParameterValues,
} from "../cloudformation/template-diff.js";
import type { Context } from "../context.js";
import { formatTable } from "../output.js";
import { resourceTypes } from "../template.js";
import {
  discardChangeSet,
  nextTemplateJson,
  type Plan,
  type PlanOptions,
  planChangeSet,
} from "./plan.js";

/**
 * Prints a plan: "no changes"; the resources a re-create makes; or the change
 * table, the parameters whose values change (old → new), and each changed
 * resource's properties with old and new values.
 */
export function printPlan(ctx: Context, plan: Plan): void {
  if (plan.kind === "empty") {
    ctx.out.line(`${plan.stackName}: no changes`);
    return;
  }
  if (plan.kind === "recreate") {
    ctx.out.line(
      `${plan.stackName} is ${plan.status} after a failed create: deploy deletes it, then creates these`,
    );
    const rows = [...resourceTypes(plan.template)].map(([id, type]) => ["Add", id, type]);
    for (const line of formatTable(["Action", "Logical ID", "Type"], rows)) ctx.out.line(line);
    return;
  }
  ctx.out.line(`${plan.stackName}: ${summarizeChanges(plan.changes)}`);
  for (const line of formatChanges(plan.changes)) ctx.out.line(line);
  const parameters = parameterChangeLines({
    declared: plan.declared,
    previous: plan.previousParameters,
    next: plan.parameters,
  });
  if (parameters.length > 0) {
    ctx.out.line();
    ctx.out.line("Parameters");
    for (const line of parameters) ctx.out.line(line);
  }
  const before = parameterValues({ declared: plan.declared, previous: plan.previousParameters });
  const after = parameterValues({
    declared: plan.declared,
    previous: plan.previousParameters,
    next: plan.parameters,
  });
  const properties = propertyDiffLines({
    current: withParameterValues(plan.currentTemplate, before),
    next: withParameterValues(nextTemplateJson(plan), after),
    changeSet: plan.described,
  });
  if (properties.length > 0) {
    ctx.out.line();
    for (const line of properties) ctx.out.line(line);
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
