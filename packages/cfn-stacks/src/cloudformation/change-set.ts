import {
  type Change,
  type ChangeSetType,
  type CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type Parameter,
} from "@aws-sdk/client-cloudformation";
import { StackOperationError } from "../errors.js";
import type { Sleep } from "./events.js";

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
  | { empty: false; stackId: string; changes: Change[] }
  | { empty: true; stackId: string };

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

/** Waits until a submitted change set is ready, failed, or found empty. */
export async function waitForChangeSet(options: {
  cloudformation: CloudFormationClient;
  request: ChangeSetRequest;
  stackId: string;
  sleep: Sleep;
  pollMs?: number;
  timeoutMs?: number;
}): Promise<ChangeSetResult> {
  const { cloudformation, request, stackId, sleep } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60 * 1000);
  for (;;) {
    const described = await cloudformation.send(
      new DescribeChangeSetCommand({
        StackName: request.stackName,
        ChangeSetName: request.changeSetName,
      }),
    );
    if (described.Status === "CREATE_COMPLETE") {
      const changes = [...(described.Changes ?? [])];
      let nextToken = described.NextToken;
      while (nextToken) {
        const page = await cloudformation.send(
          new DescribeChangeSetCommand({
            StackName: request.stackName,
            ChangeSetName: request.changeSetName,
            NextToken: nextToken,
          }),
        );
        changes.push(...(page.Changes ?? []));
        nextToken = page.NextToken;
      }
      return { empty: false, stackId, changes };
    }
    if (described.Status === "FAILED") {
      if (NO_CHANGES.test(described.StatusReason ?? "")) return { empty: true, stackId };
      throw new StackOperationError(
        `change set for ${request.stackName} failed: ${described.StatusReason ?? "no reason given"}`,
      );
    }
    if (Date.now() > deadline) {
      throw new StackOperationError(`gave up waiting for the change set of ${request.stackName}`);
    }
    await sleep(options.pollMs ?? 2000);
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
