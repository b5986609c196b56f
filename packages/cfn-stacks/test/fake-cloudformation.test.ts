import { ExecuteChangeSetCommand } from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import {
  createChangeSet,
  deployed,
  params,
  refusal,
  settledChangeSet,
  useFakeCloudFormation,
} from "./fake-client.js";

// The fake refuses what CloudFormation refuses, so a deploy test cannot pass
// where the service would fail: here, templates and parameters.

const h = useFakeCloudFormation();
const client = h.client;

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
    expect(
      await refusal(h.cfn, createChangeSet("s", body, params({ Environment: "test" })), "s"),
    ).toEqual({
      name: "ValidationError",
      message: expect.stringMatching(
        /^Template format error: resource HealthSchedule has the name of the parameter .*unique names/,
      ),
    });
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
      h.cfn,
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
      h.cfn,
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
      h.cfn,
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
    expect(await refusal(h.cfn, request, "s")).toEqual({
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
    expect(await refusal(h.cfn, createChangeSet("s", settings, params(values)), "s")).toEqual({
      name: "ValidationError",
      message,
    });
  });

  it("accepts values within every constraint, defaults filling the rest", async () => {
    await deployed("s", settings, params({ ...valid, Count: "32" }));
    expect(h.cfn.stacks.get("s")?.accepted?.values).toEqual(
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
    const { message } = await refusal(h.cfn, createChangeSet("s", settings, parameters), "s");
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
