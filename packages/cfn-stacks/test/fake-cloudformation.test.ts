import {
  type Capability,
  CloudFormationClient,
  CreateChangeSetCommand,
  type CreateChangeSetCommandInput,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Parameter,
} from "@aws-sdk/client-cloudformation";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeCloudFormation, fakeCloudFormation } from "./fake-cloudformation.js";

// The fake refuses what CloudFormation refuses, so a deploy test cannot pass
// where the service would fail. Each refusal here is one CloudFormation makes.

const CAPABILITIES: Capability[] = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"];

const network = `
Parameters:
  Environment:
    Type: String
    AllowedPattern: "^[a-z][a-z0-9-]{0,30}$"
Resources:
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  TopicArn:
    Value: !Ref Topic
    Export:
      Name: !Sub "fixture-\${Environment}-TopicArn"
`;

const consumer = `
Parameters:
  Environment:
    Type: String
Resources:
  Subscription:
    Type: AWS::SNS::Subscription
    Properties:
      Protocol: email
      Endpoint: ops@example.com
      TopicArn: !ImportValue
        Fn::Sub: "fixture-\${Environment}-TopicArn"
`;

const settings = `
Parameters:
  Environment:
    Type: String
    AllowedPattern: "^[a-z][a-z0-9-]{0,30}$"
  Count:
    Type: Number
    MinValue: 1
    MaxValue: 32
    Default: 1
  Level:
    Type: String
    AllowedValues: [debug, info]
    Default: info
  Email:
    Type: String
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub "\${Environment}-\${Count}-\${Level}-\${Email}"
`;

let cfn: FakeCloudFormation;
const client = new CloudFormationClient({ region: "us-east-1" });

beforeEach(() => {
  cfn = fakeCloudFormation();
  cfn.nextExecution = { steps: [], final: "CREATE_COMPLETE" };
});
afterEach(() => cfn.mock.restore());

const params = (values: Record<string, string>): Parameter[] =>
  Object.entries(values).map(([ParameterKey, ParameterValue]) => ({
    ParameterKey,
    ParameterValue,
  }));

function createChangeSet(
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
async function settledChangeSet(stackName: string) {
  for (;;) {
    const described = await client.send(
      new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: "cs" }),
    );
    if (described.Status !== "CREATE_PENDING") return described;
  }
}

/** Executes the change set and returns the stack's final status and the reasons it gave. */
async function execute(stackName: string) {
  await settledChangeSet(stackName);
  await client.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: "cs" }));
  return settle(stackName);
}

async function settle(stackName: string) {
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

async function deployed(stackName: string, body: string, parameters: Parameter[]) {
  await createChangeSet(stackName, body, parameters);
  expect((await execute(stackName)).status).toBe("CREATE_COMPLETE");
}

/** The API error a request fails with, and that it left no stack behind. */
async function refusal(promise: Promise<unknown>, stackName: string) {
  const error = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  expect(error).toBeDefined();
  expect(cfn.stacks.get(stackName)).toBeUndefined();
  return { name: error?.name, message: error?.message };
}

describe("the fake CloudFormation refuses a template CloudFormation refuses", () => {
  it("refuses a resource and a parameter sharing a name, creating nothing", async () => {
    const body = `
Parameters:
  Environment:
    Type: String
  HealthSchedule:
    Type: String
    Default: rate(5 minutes)
Resources:
  HealthSchedule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: !Ref HealthSchedule
`;
    expect(await refusal(createChangeSet("s", body, params({ Environment: "test" })), "s")).toEqual(
      {
        name: "ValidationError",
        message: expect.stringMatching(
          /^Template format error: resource HealthSchedule has the name of the parameter .*unique names/,
        ),
      },
    );
  });

  it("refuses a circular dependency through DependsOn and Ref", async () => {
    const body = `
Parameters:
  Environment:
    Type: String
Resources:
  A:
    Type: AWS::SNS::Topic
    DependsOn: B
  B:
    Type: AWS::SNS::Subscription
    Properties:
      Protocol: email
      Endpoint: !Ref Environment
      TopicArn: !Ref A
`;
    const { message } = await refusal(
      createChangeSet("s", body, params({ Environment: "t" })),
      "s",
    );
    expect(message).toBe(
      "Template format error: circular dependency between resources A, B (through Ref, GetAtt, Sub or DependsOn)",
    );
  });

  it("refuses a GetAtt of an attribute the type does not have", async () => {
    const body = `${network}  Name:\n    Value: !GetAtt Topic.Name\n`;
    const { message } = await refusal(
      createChangeSet("s", body, params({ Environment: "t" })),
      "s",
    );
    expect(message).toMatch(
      /^Template format error: GetAtt Topic.Name: AWS::SNS::Topic has no attribute Name/,
    );
  });

  it("refuses a template over 51,200 bytes", async () => {
    const body = `${"#".repeat(51_200)}\n${network}`;
    const { message } = await refusal(
      createChangeSet("s", body, params({ Environment: "t" })),
      "s",
    );
    expect(message).toMatch(/Member must have length less than or equal to 51200/);
  });

  it("accepts what only this project's lint refuses: an unused parameter, a queue without policies, a silent alarm", async () => {
    const body = `
Parameters:
  Environment:
    Type: String
  Unused:
    Type: String
    Default: ""
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/SQS
      MetricName: ApproximateNumberOfMessagesVisible
      Statistic: Maximum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 0
      ComparisonOperator: GreaterThanThreshold
`;
    await deployed("s", body, params({ Environment: "t" }));
  });

  it("fails the change set for a property the resource type does not take", async () => {
    const body =
      "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicNam: x\n";
    await createChangeSet("s", body, []);
    const described = await settledChangeSet("s");
    expect(described.Status).toBe("FAILED");
    expect(described.StatusReason).toBe(
      "Properties validation failed: Topic has no property TopicNam",
    );
    await expect(
      client.send(new ExecuteChangeSetCommand({ StackName: "s", ChangeSetName: "cs" })),
    ).rejects.toThrow(/cannot be executed in its current status of \[FAILED\]/);
  });

  it("refuses named IAM resources without CAPABILITY_NAMED_IAM", async () => {
    const body = `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: fixture
      AssumeRolePolicyDocument: {}
`;
    const request = createChangeSet("s", body, [], { Capabilities: ["CAPABILITY_IAM"] });
    expect(await refusal(request, "s")).toEqual({
      name: "InsufficientCapabilitiesException",
      message: "Requires capabilities : [CAPABILITY_NAMED_IAM]",
    });
  });
});

describe("the fake CloudFormation checks parameters as CloudFormation does", () => {
  const valid = { Environment: "test", Email: "ops" };

  it.each([
    [{ ...valid, Bogus: "x" }, "Parameters: [Bogus] do not exist in the template"],
    [{ Environment: "test" }, "Parameters: [Email] must have values"],
    [
      { ...valid, Environment: "Test" },
      "Parameter 'Environment' must match pattern ^[a-z][a-z0-9-]{0,30}$",
    ],
    [{ ...valid, Level: "trace" }, "Parameter 'Level' must be one of AllowedValues"],
    [{ ...valid, Count: "0" }, "Parameter 'Count' must be a number not less than 1"],
    [{ ...valid, Count: "33" }, "Parameter 'Count' must be a number not greater than 32"],
    [{ ...valid, Count: "many" }, "Parameter 'Count' must be a number"],
  ])("refuses %j with %s", async (values, message) => {
    expect(await refusal(createChangeSet("s", settings, params(values)), "s")).toEqual({
      name: "ValidationError",
      message,
    });
  });

  it("accepts values within every constraint, defaults filling the rest", async () => {
    await deployed("s", settings, params({ ...valid, Count: "32" }));
    expect(cfn.stacks.get("s")?.accepted?.values).toEqual(
      new Map([
        ["Environment", "test"],
        ["Count", "32"],
        ["Level", "info"],
        ["Email", "ops"],
      ]),
    );
  });

  it("refuses UsePreviousValue on a new stack", async () => {
    const parameters = [...params(valid), { ParameterKey: "Level", UsePreviousValue: true }];
    const { message } = await refusal(createChangeSet("s", settings, parameters), "s");
    expect(message).toMatch(
      /^Invalid input for parameter key Level\. Cannot specify usePreviousValue/,
    );
  });

  it("checks a previous value kept by UsePreviousValue against the new template", async () => {
    await deployed("s", settings, params(valid));
    const stricter = settings.replace(
      "AllowedValues: [debug, info]\n    Default: info",
      "AllowedValues: [debug]\n    Default: debug",
    );
    expect(stricter).not.toBe(settings);
    const parameters = [...params(valid), { ParameterKey: "Level", UsePreviousValue: true }];
    await expect(
      createChangeSet("s", stricter, parameters, { ChangeSetType: "UPDATE" }),
    ).rejects.toThrow(/^Parameter 'Level' must be one of AllowedValues$/);
  });
});

describe("the fake CloudFormation keeps exports and imports consistent across stacks", () => {
  it("fails the change set of an import no other stack exports", async () => {
    await createChangeSet("consumer", consumer, params({ Environment: "test" }));
    const described = await settledChangeSet("consumer");
    expect(described.Status).toBe("FAILED");
    expect(described.StatusReason).toBe("No export named fixture-test-TopicArn found");
  });

  it("accepts an import once another stack exports it", async () => {
    await deployed("network", network, params({ Environment: "test" }));
    await deployed("consumer", consumer, params({ Environment: "test" }));
    expect(cfn.stacks.get("consumer")?.accepted?.imports).toEqual(["fixture-test-TopicArn"]);
  });

  it("rolls back a stack exporting a name another stack already exports", async () => {
    await deployed("network", network, params({ Environment: "test" }));
    await createChangeSet("copy", network, params({ Environment: "test" }));
    expect(await execute("copy")).toEqual({
      status: "ROLLBACK_COMPLETE",
      reasons: expect.arrayContaining([
        "Export with name fixture-test-TopicArn is already exported by stack network",
      ]),
    });
  });

  it("rolls back an update removing an export another stack imports, keeping the export", async () => {
    await deployed("network", network, params({ Environment: "test" }));
    await deployed("consumer", consumer, params({ Environment: "test" }));
    const withoutExport = network.slice(0, network.indexOf("Outputs:"));
    await createChangeSet("network", withoutExport, params({ Environment: "test" }), {
      ChangeSetType: "UPDATE",
    });
    cfn.nextExecution = { steps: [], final: "UPDATE_COMPLETE" };
    expect(await execute("network")).toEqual({
      status: "UPDATE_ROLLBACK_COMPLETE",
      reasons: expect.arrayContaining([
        "Export fixture-test-TopicArn cannot be deleted as it is in use by consumer",
      ]),
    });
    expect(cfn.stacks.get("network")?.accepted?.exports).toEqual(["fixture-test-TopicArn"]);
  });

  it("fails to delete a stack whose export another stack imports", async () => {
    await deployed("network", network, params({ Environment: "test" }));
    await deployed("consumer", consumer, params({ Environment: "test" }));
    await client.send(new DeleteStackCommand({ StackName: "network" }));
    expect(await settle("network")).toEqual({
      status: "DELETE_FAILED",
      reasons: expect.arrayContaining([
        "Export fixture-test-TopicArn cannot be deleted as it is in use by consumer",
      ]),
    });
  });

  it("seeds an existing stack's exports from its template", async () => {
    cfn.addStack({
      StackName: "network",
      StackStatus: "CREATE_COMPLETE",
      Parameters: params({ Environment: "prod" }),
      template: network,
    });
    await deployed("consumer", consumer, params({ Environment: "prod" }));
  });
});
