import {
  type Capability,
  CloudFormationClient,
  CreateChangeSetCommand,
  type CreateChangeSetCommandInput,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Parameter,
} from "@aws-sdk/client-cloudformation";
import { afterEach, beforeEach, expect } from "vitest";
import { type FakeCloudFormation, fakeCloudFormation } from "./fake-cloudformation.js";

// Every client is mocked by the fake; one is enough.
const client = new CloudFormationClient({ region: "us-east-1" });

/**
 * Drives the fake CloudFormation through the SDK, as deploy does, for the tests
 * proving it refuses what CloudFormation refuses. A fresh fake per test.
 */
export function useFakeCloudFormation() {
  const h = { client } as { client: CloudFormationClient; cfn: FakeCloudFormation };
  beforeEach(() => {
    h.cfn = fakeCloudFormation();
    h.cfn.nextExecution = { steps: [], final: "CREATE_COMPLETE" };
  });
  afterEach(() => h.cfn.mock.restore());
  return h;
}

const CAPABILITIES: Capability[] = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"];

export const params = (values: Record<string, string>): Parameter[] =>
  Object.entries(values).map(([ParameterKey, ParameterValue]) => ({
    ParameterKey,
    ParameterValue,
  }));

export function createChangeSet(
  stackName: string,
  body: string,
  parameters: Parameter[],
  extra: Partial<CreateChangeSetCommandInput> = {},
) {
  return client.send(
    new CreateChangeSetCommand({
      StackName: stackName,
      ChangeSetName: "cs",
      ChangeSetType: "CREATE",
      TemplateBody: body,
      Parameters: parameters,
      Capabilities: CAPABILITIES,
      ...extra,
    }),
  );
}

/** The change set once CloudFormation has computed it. */
export async function settledChangeSet(stackName: string) {
  for (;;) {
    const described = await client.send(
      new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: "cs" }),
    );
    if (described.Status !== "CREATE_PENDING") return described;
  }
}

/** Executes the change set; the stack's final status and the reasons it gave. */
export async function execute(stackName: string) {
  await settledChangeSet(stackName);
  await client.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: "cs" }));
  return settle(stackName);
}

/** Polls the stack until it settles; its status and every reason its events gave. */
export async function settle(stackName: string) {
  for (;;) {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const status = Stacks?.[0]?.StackStatus ?? "";
    if (!status.endsWith("IN_PROGRESS")) {
      const { StackEvents } = await client.send(
        new DescribeStackEventsCommand({ StackName: stackName }),
      );
      const reasons = (StackEvents ?? []).flatMap((e) =>
        e.ResourceStatusReason ? [e.ResourceStatusReason] : [],
      );
      return { status, reasons };
    }
  }
}

export async function deployed(stackName: string, body: string, parameters: Parameter[]) {
  await createChangeSet(stackName, body, parameters);
  expect((await execute(stackName)).status).toBe("CREATE_COMPLETE");
}

/** The API error a request fails with, checking it left no stack behind. */
export async function refusal(
  cfn: FakeCloudFormation,
  promise: Promise<unknown>,
  stackName: string,
) {
  const error = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  expect(error).toBeDefined();
  expect(cfn.stacks.get(stackName)).toBeUndefined();
  return { name: error?.name, message: error?.message };
}
