import type { Context } from "../context.js";
import { InvalidTemplatesError } from "../errors.js";
import { formatProblem } from "../problems.js";
import { validateStacks } from "../validate.js";

/** Validates templates offline and prints each problem as `file:line: reason`. */
export async function validateCommand(
  ctx: Context,
  options: { stacksDir: string; stacks: string[] },
): Promise<void> {
  const result = await validateStacks({
    dir: options.stacksDir,
    stacks: options.stacks,
    cwd: ctx.cwd,
  });
  for (const problem of result.problems) ctx.out.line(formatProblem(problem));
  if (result.problems.length > 0) {
    throw new InvalidTemplatesError(
      `${result.problems.length} problem(s) in ${new Set(result.problems.map((p) => p.file)).size} template(s)`,
    );
  }
  const names = result.templates.map((t) => t.stack).join(", ");
  ctx.out.line(
    `${result.templates.length} template(s) valid: ${names} (resource types checked against ${result.specSource})`,
  );
}
