import {
  type Change,
  type ChangeSetType,
  type CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  type DescribeChangeSetOutput,
  type Parameter,
  paginateDescribeChangeSet,
  waitUntilChangeSetCreateComplete,
} from "@aws-sdk/client-cloudformation";
import { InterruptedError, StackOperationError } from "../errors.js";

/** Templates create IAM roles and policies with names, so both capabilities are needed. */
export const CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"] as const;

export interface ChangeSetRequest {
  stackName: string;
  changeSetName: string;
  type: ChangeSetType;
  templateBody: string;
  parameters: Parameter[];
  env: string;
}

export type ChangeSetResult =
  | { empty: false; stackId: string; changes: Change[]; described: DescribeChangeSetOutput }
  | { empty: true; stackId: string };

/** The SDK waiter's delays in seconds: its own backoff between the two. */
export interface WaiterDelays {
  minDelay: number;
  maxDelay: number;
  maxWaitTime: number;
}

export const DEFAULT_WAITER_DELAYS: WaiterDelays = { minDelay: 2, maxDelay: 10, maxWaitTime: 600 };

// CloudFormation's wording for a change set with nothing in it.
const NO_CHANGES = /didn't contain changes|No updates are to be performed|no changes/i;

/** Submits a change set; returns the id of its stack (new for a CREATE). */
export async function submitChangeSet(
  cloudformation: CloudFormationClient,
  request: ChangeSetRequest,
): Promise<string> {
  const created = await cloudformation.send(
    new CreateChangeSetCommand({
      StackName: request.stackName,
      ChangeSetName: request.changeSetName,
      ChangeSetType: request.type,
      TemplateBody: request.templateBody,
      Parameters: request.parameters,
      Capabilities: [...CAPABILITIES],
      Tags: [{ Key: "restyled:environment", Value: request.env }],
      Description: "restyled-stacks",
    }),
  );
  return created.StackId ?? request.stackName;
}

/**
 * Waits with the SDK's waiter until a submitted change set is ready, failed
 * or found empty, then reads all its pages with the SDK's paginator.
 * `signal` (Ctrl-C, SIGTERM) ends the wait with an InterruptedError.
 */
export async function waitForChangeSet(options: {
  cloudformation: CloudFormationClient;
  request: ChangeSetRequest;
  stackId: string;
  signal: AbortSignal;
  delays?: WaiterDelays;
}): Promise<ChangeSetResult> {
  const { cloudformation, request, stackId } = options;
  const input = { StackName: request.stackName, ChangeSetName: request.changeSetName };
  const delays = options.delays ?? DEFAULT_WAITER_DELAYS;
  if (options.signal.aborted) throw new InterruptedError("interrupted");
  try {
    await waitUntilChangeSetCreateComplete(
      { client: cloudformation, abortSignal: options.signal, ...delays },
      input,
    );
  } catch (error) {
    const e = error as Error;
    if (e.name === "AbortError" || options.signal.aborted)
      throw new InterruptedError("interrupted");
    if (e.name === "TimeoutError") {
      throw new StackOperationError(
        `gave up waiting for the change set of ${request.stackName} after ${delays.maxWaitTime} s`,
      );
    }
    // The waiter throws its last response as JSON; a FAILED change set's holds the reason.
    const text = failureReasonOf(e) ?? "no reason given";
    if (NO_CHANGES.test(text)) return { empty: true, stackId };
    throw new StackOperationError(`change set for ${request.stackName} failed: ${text}`, {
      cause: error,
    });
  }
  const changes: Change[] = [];
  let first: DescribeChangeSetOutput | undefined;
  // Before and after values in each change's details, for the property-level diff.
  const pages = paginateDescribeChangeSet(
    { client: cloudformation },
    { ...input, IncludePropertyValues: true },
  );
  for await (const page of pages) {
    first ??= page;
    changes.push(...(page.Changes ?? []));
  }
  return { empty: false, stackId, changes, described: { ...first, Changes: changes } };
}

/** What made the waiter stop: a FAILED change set's StatusReason, or the error CloudFormation sent. */
function failureReasonOf(error: Error): string | undefined {
  try {
    const { reason } = JSON.parse(error.message) as {
      reason?: { StatusReason?: string; name?: string; Code?: string };
    };
    return reason?.StatusReason ?? reason?.name ?? reason?.Code;
  } catch {
    return error.message;
  }
}

export async function deleteChangeSet(
  cloudformation: CloudFormationClient,
  stackName: string,
  changeSetName: string,
): Promise<void> {
  await cloudformation.send(
    new DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }),
  );
}

/** A change set name unique per run: `restyled-stacks-20261125T150405Z`. */
export function changeSetNameAt(now: Date): string {
  return `restyled-stacks-${now.toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "")}`;
}
