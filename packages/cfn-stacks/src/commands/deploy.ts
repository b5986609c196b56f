import { DescribeStacksCommand, ExecuteChangeSetCommand } from "@aws-sdk/client-cloudformation";
import { failureReasons, seenEventIds, streamStackEvents } from "../cloudformation/events.js";
import { isSuccessful } from "../cloudformation/stack-state.js";
import type { Context } from "../context.js";
import { CancelledError, InterruptedError, StackOperationError } from "../errors.js";
import { uploadLambdaArtifacts } from "../lambda-code.js";
import { printPlan } from "./diff.js";
import { printOutputs } from "./outputs.js";
import { deleteStackAndWait, discardChangeSet, type PlanOptions, planChangeSet } from "./plan.js";

export interface DeployOptions extends Omit<PlanOptions, "forDeploy"> {
  yes: boolean;
  dryRun: boolean;
}

/**
 * Creates a change set, shows it, asks, uploads the Lambda code, executes it
 * and streams the stack's events until it settles. Until the operator says
 * yes nothing changes but the change set, which is always cleaned up.
 */
export async function deployCommand(ctx: Context, options: DeployOptions): Promise<void> {
  let plan = await planChangeSet(ctx, { ...options, forDeploy: !options.dryRun });
  printPlan(ctx, plan);
  let confirmed = options.yes;
  if (plan.kind === "recreate") {
    if (options.dryRun) return;
    if (!confirmed && !(await ctx.confirm(`Delete ${plan.stackName} and create it again?`))) {
      throw new CancelledError(`deploy of ${plan.stackName} cancelled; nothing was changed`);
    }
    confirmed = true;
    ctx.out.line(`deleting ${plan.stackName} (${plan.status}) before creating it again`);
    const deleted = await deleteStackAndWait(ctx, plan.stack);
    if (deleted.status !== "DELETE_COMPLETE") {
      throw new StackOperationError(`could not delete ${plan.stackName}: it is ${deleted.status}`);
    }
    plan = await planChangeSet(ctx, { ...options, forDeploy: true });
    printPlan(ctx, plan);
  }
  if (plan.kind !== "changes") return;

  let executed = false;
  try {
    if (options.dryRun) return;
    if (!confirmed && !(await ctx.confirm(`Deploy these changes to ${plan.stackName}?`))) {
      throw new CancelledError(`deploy of ${plan.stackName} cancelled; nothing was changed`);
    }
    if (plan.bucket) {
      await uploadLambdaArtifacts({
        s3: ctx.s3,
        bucket: plan.bucket,
        artifacts: plan.artifacts,
        logger: ctx.logger,
      });
    }
    if (ctx.signal.aborted) throw new InterruptedError("interrupted");
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
      const message = `stopped watching ${plan.stackName}; the deploy goes on in CloudFormation`;
      ctx.out.line(message);
      throw new InterruptedError(message);
    });
    if (!isSuccessful(result.status)) {
      ctx.out.line(`${plan.stackName} ended ${result.status}; what failed:`);
      for (const reason of failureReasons(result.events)) ctx.out.line(`  ${reason}`);
      const retry =
        result.status === "ROLLBACK_COMPLETE"
          ? " (the next deploy offers to delete the rolled-back stack and retry)"
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
