import type { DescribeChangeSetOutput } from "@aws-cdk/cloudformation-diff";
import type { Change, Parameter, Stack } from "@aws-sdk/client-cloudformation";
import { DeleteStackCommand, GetTemplateCommand } from "@aws-sdk/client-cloudformation";
import {
  type ChangeSetRequest,
  changeSetNameAt,
  deleteChangeSet,
  submitChangeSet,
  waitForChangeSet,
} from "../cloudformation/change-set.js";
import { type StreamResult, seenEventIds, streamStackEvents } from "../cloudformation/events.js";
import { refuseRemovingImportedExports } from "../cloudformation/exports.js";
import { describeStack, isInProgress, stackNameOf } from "../cloudformation/stack-state.js";
import { parseTemplateBody, templateJson } from "../cloudformation/template-diff.js";
import type { Context, StackTarget } from "../context.js";
import { ConfigError, InvalidTemplatesError, StackOperationError } from "../errors.js";
import {
  buildLambdaPackages,
  CODE_BUCKET_PARAMETER,
  installedLambdaSource,
  type LambdaArtifact,
  lambdaCodeOf,
  readInstalledArtifacts,
  readLambdaArtifacts,
  workspaceHasPackages,
} from "../lambda-code.js";
import {
  checkGivenParameters,
  type DeclaredParameter,
  declaredParameters,
  resolveParameters,
} from "../parameters.js";
import { formatProblem } from "../problems.js";
import type { Template } from "../template.js";
import { validateStacks } from "../validate.js";
import { findWorkspaceRoot } from "../workspace.js";

export interface PlanOptions extends StackTarget {
  params: Map<string, string>;
  codeBucket?: string;
  /** Use the Lambda zips already in each package's dist/. */
  skipBuild: boolean;
  /** Read the Lambda code to upload later (deploy); diff only needs its keys. */
  forDeploy: boolean;
  /** The template, when the caller validated it already (deploy --all). */
  template?: Template;
}

/** What a plan carries for the parameter and property-level diff. */
export interface PlanDetails {
  template: Template;
  declared: DeclaredParameter[];
  parameters: Parameter[];
  /** The deployed stack's parameters, undefined for a new stack. */
  previousParameters?: Parameter[];
  /** The deployed template, as JSON ({} for a new stack). */
  currentTemplate: Record<string, unknown>;
}

export type Plan =
  | ({
      kind: "changes";
      stackName: string;
      stackId: string;
      changeSetName: string;
      createdStack: boolean;
      changes: Change[];
      described: DescribeChangeSetOutput;
      /** Uploaded only once the operator says yes. */
      artifacts: LambdaArtifact[];
      bucket?: string;
    } & PlanDetails)
  | { kind: "empty"; stackName: string }
  /** A first create rolled back: the stack must be deleted before a change set can exist. */
  | { kind: "recreate"; stackName: string; template: Template; status: string; stack: Stack };

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

/**
 * The Lambda code a template needs, built (unless skipped) and read from the
 * workspace, or from the installed published packages without a checkout.
 * Nothing is uploaded here.
 */
async function prepareLambdaCode(
  ctx: Context,
  options: PlanOptions,
  template: Template,
  existing: Stack | undefined,
): Promise<{ artifacts: LambdaArtifact[]; bucket?: string }> {
  const code = lambdaCodeOf(template);
  if (code.length === 0) return { artifacts: [] };
  const previousBucket = existing?.Parameters?.find(
    (p) => p.ParameterKey === CODE_BUCKET_PARAMETER,
  )?.ParameterValue;
  const bucket = options.codeBucket ?? options.params.get(CODE_BUCKET_PARAMETER) ?? previousBucket;
  if (!bucket) {
    throw new ConfigError(
      `${template.stack} has Lambda code: pass --code-bucket BUCKET (or set RESTYLED_CODE_BUCKET)`,
    );
  }
  const root = findWorkspaceRoot(options.stacksDir) ?? findWorkspaceRoot(ctx.cwd);
  if (root && (await workspaceHasPackages(root, code))) {
    if (!options.skipBuild) {
      await buildLambdaPackages({ root, code, run: ctx.run, logger: ctx.logger });
    }
    return { artifacts: await readLambdaArtifacts({ root, code }), bucket };
  }
  const source = ctx.lambdaSource ?? installedLambdaSource();
  ctx.logger.info("no workspace: using the published Lambda packages", { pinned: source.pinned });
  return { artifacts: await readInstalledArtifacts({ source, code }), bucket };
}

async function deployedTemplate(ctx: Context, stackName: string) {
  const { TemplateBody } = await ctx.cloudformation.send(
    new GetTemplateCommand({ StackName: stackName, TemplateStage: "Original" }),
  );
  return parseTemplateBody(TemplateBody ?? "");
}

/**
 * Creates the change set that would bring the stack to its template: CREATE for
 * a new stack, UPDATE otherwise. Parameters not named keep previous values.
 * Everything that can be checked locally is checked before any AWS call, and
 * nothing is changed but the (unexecuted) change set.
 */
export async function planChangeSet(ctx: Context, options: PlanOptions): Promise<Plan> {
  const template = options.template ?? (await loadValidTemplate(ctx, options));
  const declared = declaredParameters(template);
  checkGivenParameters(declared, options.params.keys());
  const stackName = stackNameOf(options.env, options.stack);
  const existing = await describeStack(ctx.cloudformation, stackName);
  const status = existing?.StackStatus;
  if (isInProgress(status)) {
    throw new StackOperationError(`${stackName} is busy (${status}); wait for it to finish`);
  }
  // A stack left in REVIEW_IN_PROGRESS by an unexecuted create has no resources yet.
  const isNew = !existing || status === "REVIEW_IN_PROGRESS" || status === "ROLLBACK_COMPLETE";
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
  const parameters = resolveParameters({ declared, given, previous });

  // A first create that rolled back leaves a stack that can only be deleted:
  // the caller asks before deleting it.
  if (existing && status === "ROLLBACK_COMPLETE") {
    return { kind: "recreate", stackName, template, status, stack: existing };
  }
  const currentTemplate = isNew ? {} : await deployedTemplate(ctx, stackName);
  if (existing && !isNew) {
    await refuseRemovingImportedExports({
      cloudformation: ctx.cloudformation,
      stack: existing,
      deployed: currentTemplate,
      template,
      env: options.env,
    });
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
      signal: ctx.signal,
      delays: ctx.waiterDelays,
    });
  } catch (error) {
    // A failed or abandoned change set would otherwise stay on the stack.
    await discardChangeSet(ctx, { stackName, stackId, changeSetName, createdStack });
    throw error;
  }
  if (result.empty) {
    await discardChangeSet(ctx, { stackName, stackId, changeSetName, createdStack });
    return { kind: "empty", stackName };
  }
  return {
    kind: "changes",
    stackName,
    stackId,
    changeSetName,
    createdStack,
    changes: result.changes,
    described: result.described as DescribeChangeSetOutput,
    artifacts,
    bucket,
    template,
    declared,
    parameters,
    previousParameters: isNew ? undefined : existing?.Parameters,
    currentTemplate,
  };
}

/** The template a plan deploys, as JSON for the property-level diff. */
export function nextTemplateJson(plan: { template: Template }): Record<string, unknown> {
  return templateJson(plan.template.root) as Record<string, unknown>;
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
