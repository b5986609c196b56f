import { collectExports, importedStacks } from "../checks/imports.js";
import { stackNameOf } from "../cloudformation/stack-state.js";
import type { Context } from "../context.js";
import { ConfigError, InvalidTemplatesError, UsageError } from "../errors.js";
import { mergeParams, type ParamFile } from "../param-files.js";
import { checkGivenParameters, declaredParameters } from "../parameters.js";
import { formatProblem } from "../problems.js";
import type { Template } from "../template.js";
import { validateStacks } from "../validate.js";
import { type DeployOptions, deployCommand } from "./deploy.js";

/**
 * The stacks in deploy order: each after every stack it imports from (its
 * `Fn::ImportValue`s matched to the others' exports), ties by name.
 */
export function deployOrder(templates: Template[]): string[] {
  const exports = collectExports(templates);
  const needs = new Map(templates.map((t) => [t.stack, importedStacks(t, exports)]));
  const order: string[] = [];
  const remaining = new Set([...needs.keys()].sort());
  while (remaining.size > 0) {
    const ready = [...remaining].filter((s) =>
      [...(needs.get(s) ?? [])].every((n) => order.includes(n)),
    );
    if (ready.length === 0) {
      throw new ConfigError(
        `the stacks ${[...remaining].join(", ")} import from each other in a cycle`,
      );
    }
    for (const stack of ready) {
      order.push(stack);
      remaining.delete(stack);
    }
  }
  return order;
}

/** Checks every stack's parameters (file and flags) against its template, before any AWS call. */
export function checkAllParameters(options: {
  templates: Template[];
  file: ParamFile | undefined;
  flags: Map<string, string>;
}): void {
  const { templates, file, flags } = options;
  const names = templates.map((t) => t.stack);
  for (const stack of file?.stacks.keys() ?? []) {
    if (!names.includes(stack)) {
      throw new ConfigError(
        `${file?.path}: no stack named ${stack} (the stacks are ${names.join(", ")})`,
      );
    }
  }
  for (const template of templates) {
    const declared = declaredParameters(template);
    checkGivenParameters(
      declared,
      file?.stacks.get(template.stack)?.keys() ?? [],
      (key) => `${file?.path}: ${template.stack}.${key}`,
      ConfigError,
    );
  }
  // With --all a flag goes to every stack that declares it, so one no stack declares is a typo.
  const everyName = templates.flatMap((t) => declaredParameters(t));
  for (const key of flags.keys()) {
    if (!everyName.some((p) => p.name === key)) {
      checkGivenParameters(everyName, [key], (k) => `--param ${k}`);
    }
  }
}

/**
 * Deploys every stack in dependency order, one after the other, stopping at
 * the first that fails; says which were deployed and which were not tried.
 */
export async function deployAllCommand(
  ctx: Context,
  options: Omit<DeployOptions, "stack" | "params"> & {
    flags: Map<string, string>;
    file: ParamFile | undefined;
  },
): Promise<void> {
  const result = await validateStacks({ dir: options.stacksDir, cwd: ctx.cwd });
  if (result.problems.length > 0) {
    for (const problem of result.problems) ctx.out.line(formatProblem(problem));
    throw new InvalidTemplatesError(
      `${result.problems.length} problem(s) in the templates; fix them first`,
    );
  }
  const templates = new Map(result.templates.map((t) => [t.stack, t]));
  checkAllParameters({ templates: result.templates, file: options.file, flags: options.flags });
  const order = deployOrder(result.templates);
  ctx.out.line(
    `deploying ${order.map((s) => stackNameOf(options.env, s)).join(", ")} in this order`,
  );
  const done: string[] = [];
  for (const stack of order) {
    const template = templates.get(stack) as Template;
    const declared = new Set(declaredParameters(template).map((p) => p.name));
    const flags = new Map([...options.flags].filter(([key]) => declared.has(key)));
    ctx.out.line();
    ctx.out.line(`== ${stackNameOf(options.env, stack)}`);
    try {
      await deployCommand(ctx, {
        ...options,
        stack,
        template,
        params: mergeParams(options.file, stack, flags),
      });
    } catch (error) {
      const rest = order.slice(order.indexOf(stack) + 1);
      ctx.out.line();
      ctx.out.line(
        `stopped at ${stack}: deployed ${done.join(", ") || "none"}; not tried ${rest.join(", ") || "none"}`,
      );
      throw error;
    }
    done.push(stack);
  }
}

export function refuseStackWithAll(args: string[]): void {
  if (args.length > 0) throw new UsageError("deploy --all takes no stack name");
}
