import {
  type CloudFormationClient,
  DescribeStacksCommand,
  type Stack,
} from "@aws-sdk/client-cloudformation";

/** The stack name for a template and environment: `restyled-prod-machines`. */
export function stackNameOf(env: string, stack: string): string {
  return `restyled-${env}-${stack}`;
}

function isMissingStack(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e.name === "ValidationError" && /does not exist/.test(e.message ?? "");
}

/** The stack as CloudFormation describes it, or undefined when there is none. */
export async function describeStack(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<Stack | undefined> {
  try {
    const { Stacks } = await cloudformation.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    return Stacks?.[0];
  } catch (error) {
    if (isMissingStack(error)) return undefined;
    throw error;
  }
}

/** Whether an operation is still running (cleanup phases included). */
export function isInProgress(status: string | undefined): boolean {
  return status?.endsWith("_IN_PROGRESS") === true && status !== "REVIEW_IN_PROGRESS";
}

const SUCCESSFUL = new Set([
  "CREATE_COMPLETE",
  "UPDATE_COMPLETE",
  "DELETE_COMPLETE",
  "IMPORT_COMPLETE",
]);

export function isSuccessful(status: string | undefined): boolean {
  return status !== undefined && SUCCESSFUL.has(status);
}
