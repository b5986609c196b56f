import type { Change, Stack } from "@aws-sdk/client-cloudformation";
import { DeleteStackCommand } from "@aws-sdk/client-cloudformation";
import {
  type ChangeSetRequest,
  changeSetNameAt,
  deleteChangeSet,
  submitChangeSet,
  waitForChangeSet,
} from "../cloudformation/change-set.js";
import { type StreamResult, seenEventIds, streamStackEvents } from "../cloudformation/events.js";
import { describeStack, isInProgress, stackNameOf } from "../cloudformation/stack-state.js";
import type { Context, StackTarget } from "../context.js";
import { ConfigError, InvalidTemplatesError, StackOperationError } from "../errors.js";
import {
  buildLambdaPackages,
  CODE_BUCKET_PARAMETER,
  type LambdaArtifact,
  lambdaCodeOf,
  readLambdaArtifacts,
  uploadLambdaArtifacts,
} from "../lambda-code.js";
import { declaredParameters, resolveParameters } from "../parameters.js";
import { formatProblem } from "../problems.js";
import type { Template } from "../template.js";
import { validateStacks } from "../validate.js";
import { findWorkspaceRoot } from "../workspace.js";

export interface PlanOptions extends StackTarget {
  params: Map<string, string>;
  codeBucket?: string;
  /** Use the Lambda zips already in each package's dist/. */
  skipBuild: boolean;
  /** Upload Lambda code and clean up a ROLLBACK_COMPLETE stack (deploy); diff does neither. */
  forDeploy: boolean;
}

export type Plan =
  | {
      kind: "changes";
      stackName: string;
      stackId: string;
      changeSetName: string;
      createdStack: boolean;
      changes: Change[];
    }
  | { kind: "empty"; stackName: string }
  /** diff only: the stack must be deleted and re-created before a change set can exist. */
  | { kind: "recreate"; stackName: string; template: Template; status: string };

/** Validates the stack's template offline; a deploy never starts from a broken one. */
export async function loadValidTemplate(ctx: Context, target: StackTarget): Promise<Template> {
  const result = await validateStacks({
    dir: target.stacksDir,
    stacks: [target.stack],
    cwd: ctx.cwd,
  });
  const template = result.templates[0];
  if (result.problems.length > 0 || !template) {
    for (const problem of result.problems) ctx.out.line(formatProblem(problem));
    throw new InvalidTemplatesError(
      `${target.stack}: ${result.problems.length} problem(s) in the template; fix them first`,
    );
  }
  return template;
}

/** Deletes a stack and waits, printing its events; for a failed first create. */
export async function deleteStackAndWait(ctx: Context, stack: Stack): Promise<StreamResult> {
  const stackId = stack.StackId ?? stack.StackName ?? "";
  const seen = await seenEventIds(ctx.cloudformation, stackId);
  await ctx.cloudformation.send(new DeleteStackCommand({ StackName: stackId }));
  return streamStackEvents({
    cloudformation: ctx.cloudformation,
    stackId,
    seen,
    out: ctx.out,
    sleep: ctx.sleep,
    pollMs: ctx.pollMs,
  });
}

/** The Lambda code a template needs: built (unless skipped), read and hashed, not yet uploaded. */
async function prepareLambdaCode(
  ctx: Context,
  options: PlanOptions,
  template: Template,
  existing: Stack | undefined,
): Promise<{ artifacts: LambdaArtifact[]; bucket?: string }> {
  const code = lambdaCodeOf(template);
  if (code.length === 0) return { artifacts: [] };
  const root = findWorkspaceRoot(options.stacksDir) ?? findWorkspaceRoot(ctx.cwd);
  if (!root) throw new ConfigError("cannot find the pnpm workspace holding the Lambda packages");
  const previousBucket = existing?.Parameters?.find(
    (p) => p.ParameterKey === CODE_BUCKET_PARAMETER,
  )?.ParameterValue;
  const bucket = options.codeBucket ?? options.params.get(CODE_BUCKET_PARAMETER) ?? previousBucket;
  if (!bucket) {
    throw new ConfigError(
      `${template.stack} has Lambda code: pass --code-bucket BUCKET (or set RESTYLED_CODE_BUCKET)`,
    );
  }
  if (!options.skipBuild) {
    await buildLambdaPackages({ root, code, run: ctx.run, logger: ctx.logger });
  }
  return { artifacts: await readLambdaArtifacts({ root, code }), bucket };
}

/**
 * Creates the change set that would bring the stack to its template: CREATE for
 * a new stack, UPDATE otherwise. Parameters not named keep previous values.
 * Everything that can be checked locally is checked before anything changes.
 */
export async function planChangeSet(ctx: Context, options: PlanOptions): Promise<Plan> {
  const template = await loadValidTemplate(ctx, options);
  const stackName = stackNameOf(options.env, options.stack);
  let existing = await describeStack(ctx.cloudformation, stackName);
  const status = existing?.StackStatus;
  if (isInProgress(status)) {
    throw new StackOperationError(`${stackName} is busy (${status}); wait for it to finish`);
  }
  // A first create that rolled back leaves a stack that can only be deleted.
  const mustRecreate = status === "ROLLBACK_COMPLETE";
  if (mustRecreate && !options.forDeploy) {
    return { kind: "recreate", stackName, template, status };
  }
  // A stack left in REVIEW_IN_PROGRESS by an unexecuted create has no resources yet.
  const isNew = !existing || mustRecreate || status === "REVIEW_IN_PROGRESS";
  const previous = isNew
    ? undefined
    : new Set(
        (existing?.Parameters ?? []).flatMap((p) => (p.ParameterKey ? [p.ParameterKey] : [])),
      );

  const given = new Map(options.params);
  given.set("Environment", options.env);
  const { artifacts, bucket } = await prepareLambdaCode(
    ctx,
    options,
    template,
    isNew ? undefined : existing,
  );
  if (bucket) given.set(CODE_BUCKET_PARAMETER, bucket);
  for (const artifact of artifacts) given.set(artifact.parameter, artifact.key);
  const parameters = resolveParameters({ declared: declaredParameters(template), given, previous });

  if (mustRecreate && existing) {
    ctx.out.line(`${stackName} is ${status} after a failed create; deleting it before retrying`);
    const deleted = await deleteStackAndWait(ctx, existing);
    if (deleted.status !== "DELETE_COMPLETE") {
      throw new StackOperationError(`could not delete ${stackName}: it is ${deleted.status}`);
    }
    existing = undefined;
  }
  if (options.forDeploy && bucket) {
    await uploadLambdaArtifacts({ s3: ctx.s3, bucket, artifacts, logger: ctx.logger });
  }

  const changeSetName = changeSetNameAt(ctx.now());
  const request: ChangeSetRequest = {
    stackName,
    changeSetName,
    type: isNew ? "CREATE" : "UPDATE",
    templateBody: template.body,
    parameters,
    env: options.env,
  };
  const stackId = await submitChangeSet(ctx.cloudformation, request);
  const createdStack = !existing;
  let result: Awaited<ReturnType<typeof waitForChangeSet>>;
  try {
    result = await waitForChangeSet({
      cloudformation: ctx.cloudformation,
      request,
      stackId,
      sleep: ctx.sleep,
      pollMs: ctx.pollMs,
    });
  } catch (error) {
    // A failed or abandoned change set would otherwise stay on the stack.
    await discardChangeSet(ctx, { stackName, stackId, changeSetName, createdStack });
    throw error;
  }
  if (result.empty) {
    await deleteChangeSet(ctx.cloudformation, stackName, changeSetName);
    return { kind: "empty", stackName };
  }
  return {
    kind: "changes",
    stackName,
    stackId,
    changeSetName,
    createdStack,
    changes: result.changes,
  };
}

/**
 * Removes an unexecuted change set, and the empty REVIEW_IN_PROGRESS stack a
 * CREATE change set makes, so a preview or a declined deploy leaves nothing.
 */
export async function discardChangeSet(
  ctx: Context,
  plan: { stackName: string; stackId: string; changeSetName: string; createdStack: boolean },
): Promise<void> {
  await deleteChangeSet(ctx.cloudformation, plan.stackName, plan.changeSetName);
  if (plan.createdStack) {
    await ctx.cloudformation.send(new DeleteStackCommand({ StackName: plan.stackId }));
  }
}
