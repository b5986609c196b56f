import type { Stack } from "@aws-sdk/client-cloudformation";
import { describeStack, stackNameOf } from "../cloudformation/stack-state.js";
import type { Context, StackTarget } from "../context.js";
import { StackOperationError } from "../errors.js";
import { formatTable } from "../output.js";

export function printOutputs(ctx: Context, stack: Stack, json: boolean): void {
  const outputs = stack.Outputs ?? [];
  if (json) {
    const values = Object.fromEntries(outputs.map((o) => [o.OutputKey ?? "", o.OutputValue ?? ""]));
    ctx.out.line(JSON.stringify(values, null, 2));
    return;
  }
  if (outputs.length === 0) {
    ctx.out.line(`${stack.StackName}: no outputs`);
    return;
  }
  const rows = outputs.map((o) => [o.OutputKey ?? "", o.OutputValue ?? "", o.ExportName ?? ""]);
  for (const line of formatTable(["Output", "Value", "Export"], rows)) ctx.out.line(line);
}

/** Prints a deployed stack's outputs, as a table or as a JSON object. */
export async function outputsCommand(
  ctx: Context,
  options: Omit<StackTarget, "stacksDir"> & { json: boolean },
): Promise<void> {
  const stackName = stackNameOf(options.env, options.stack);
  const stack = await describeStack(ctx.cloudformation, stackName);
  if (!stack) throw new StackOperationError(`${stackName} does not exist`);
  printOutputs(ctx, stack, options.json);
}
