import { DescribeStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import { failureReasons } from "../cloudformation/events.js";
import { describeStack, isInProgress, stackNameOf } from "../cloudformation/stack-state.js";
import type { Context, StackTarget } from "../context.js";
import { CancelledError, StackOperationError } from "../errors.js";
import { formatTable } from "../output.js";
import { deleteStackAndWait } from "./plan.js";

/** Deletes a stack after showing its resources and asking; a missing stack is not an error. */
export async function deleteCommand(
  ctx: Context,
  options: Omit<StackTarget, "stacksDir"> & { yes: boolean; dryRun: boolean },
): Promise<void> {
  const stackName = stackNameOf(options.env, options.stack);
  const stack = await describeStack(ctx.cloudformation, stackName);
  if (!stack) {
    ctx.out.line(`${stackName} does not exist; nothing to delete`);
    return;
  }
  if (isInProgress(stack.StackStatus)) {
    throw new StackOperationError(
      `${stackName} is busy (${stack.StackStatus}); wait for it to finish`,
    );
  }
  const { StackResources } = await ctx.cloudformation.send(
    new DescribeStackResourcesCommand({ StackName: stackName }),
  );
  const rows = (StackResources ?? []).map((r) => [
    "Remove",
    r.LogicalResourceId ?? "",
    r.ResourceType ?? "",
    r.PhysicalResourceId ?? "",
  ]);
  ctx.out.line(`${stackName} (${stack.StackStatus}): ${rows.length} resources to delete`);
  for (const line of formatTable(["Action", "Logical ID", "Type", "Physical ID"], rows)) {
    ctx.out.line(line);
  }
  if (options.dryRun) return;
  if (!options.yes && !(await ctx.confirm(`Delete ${stackName} and all its resources?`))) {
    throw new CancelledError(`delete of ${stackName} cancelled; nothing was changed`);
  }
  const result = await deleteStackAndWait(ctx, stack);
  if (result.status !== "DELETE_COMPLETE") {
    ctx.out.line(`${stackName} ended ${result.status}; what failed:`);
    for (const reason of failureReasons(result.events)) ctx.out.line(`  ${reason}`);
    throw new StackOperationError(`delete of ${stackName} failed: ${result.status}`);
  }
  ctx.out.line(`${stackName}: DELETE_COMPLETE`);
}
