import { DescribeStacksCommand, ExecuteChangeSetCommand } from "@aws-sdk/client-cloudformation";
import { failureReasons, seenEventIds, streamStackEvents } from "../cloudformation/events.js";
import { isSuccessful } from "../cloudformation/stack-state.js";
import type { Context } from "../context.js";
import { CancelledError, InterruptedError, StackOperationError } from "../errors.js";
import { printPlan } from "./diff.js";
import { printOutputs } from "./outputs.js";
import { discardChangeSet, type PlanOptions, planChangeSet } from "./plan.js";

export interface DeployOptions extends Omit<PlanOptions, "forDeploy"> {
  yes: boolean;
  dryRun: boolean;
}

/**
 * Creates a change set, shows it, asks, executes it and streams the stack's
 * events until it settles. An unexecuted change set is always cleaned up.
 */
export async function deployCommand(ctx: Context, options: DeployOptions): Promise<void> {
  const plan = await planChangeSet(ctx, { ...options, forDeploy: !options.dryRun });
  printPlan(ctx, plan);
  if (plan.kind !== "changes") return;

  let executed = false;
  try {
    if (options.dryRun) return;
    if (!options.yes && !(await ctx.confirm(`Deploy these changes to ${plan.stackName}?`))) {
      throw new CancelledError(`deploy of ${plan.stackName} cancelled; nothing was changed`);
    }
    const seen = await seenEventIds(ctx.cloudformation, plan.stackId);
    await ctx.cloudformation.send(
      new ExecuteChangeSetCommand({ StackName: plan.stackName, ChangeSetName: plan.changeSetName }),
    );
    executed = true;
    ctx.logger.info("executing change set", {
      stack: plan.stackName,
      changeSet: plan.changeSetName,
    });
    const result = await streamStackEvents({
      cloudformation: ctx.cloudformation,
      stackId: plan.stackId,
      seen,
      out: ctx.out,
      sleep: ctx.sleep,
      total: plan.changes.length,
      pollMs: ctx.pollMs,
    }).catch((error: unknown) => {
      if (!(error instanceof InterruptedError)) throw error;
      throw new InterruptedError(
        `stopped watching ${plan.stackName}; the deploy goes on in CloudFormation`,
      );
    });
    if (!isSuccessful(result.status)) {
      ctx.out.line(`${plan.stackName} ended ${result.status}; what failed:`);
      for (const reason of failureReasons(result.events)) ctx.out.line(`  ${reason}`);
      const retry =
        result.status === "ROLLBACK_COMPLETE"
          ? " (the next deploy deletes the rolled-back stack and retries)"
          : "";
      throw new StackOperationError(`deploy of ${plan.stackName} failed: ${result.status}${retry}`);
    }
    ctx.out.line(`${plan.stackName}: ${result.status}`);
    const { Stacks } = await ctx.cloudformation.send(
      new DescribeStacksCommand({ StackName: plan.stackId }),
    );
    const stack = Stacks?.[0];
    if (stack) printOutputs(ctx, stack, false);
  } finally {
    if (!executed) await discardChangeSet(ctx, plan);
  }
}
