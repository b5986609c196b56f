// The stacks' side of delivery: where the forwarder's failed events go, that
// someone is told, and that the machines' log group is forwarded too. Read from
// the shipped templates in the repository's stacks/ folder.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, type Tags } from "yaml";

// CloudFormation's short forms, read as the long forms they stand for.
const customTags: Tags = [
  "Ref",
  "Sub",
  "GetAtt",
  "ImportValue",
  "If",
  "Join",
  "Select",
  "Split",
  "Equals",
  "Not",
  "Base64",
  "FindInMap",
  "GetAZs",
  "Or",
  "And",
  "Condition",
].flatMap((name) => {
  const key = name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
  const make = (value: unknown) => ({
    [key]: name === "GetAtt" && typeof value === "string" ? value.split(".") : value,
  });
  return (["scalar", "seq", "map"] as const).map((collection) => ({
    tag: `!${name}`,
    ...(collection === "scalar" ? {} : { collection }),
    resolve: (value: unknown) =>
      make(
        value && typeof value === "object" && "toJSON" in value
          ? (value as { toJSON(): unknown }).toJSON()
          : value,
      ),
  }));
}) as Tags;

/** CloudFormation's `${…}` as written in templates (kept out of JS template syntax). */
const cfn = (text: string) =>
  text.replace(/\{\{(.+?)\}\}/g, (_match, name: string) => `$\{${name}}`);

// biome-ignore lint/suspicious/noExplicitAny: a template is untyped data, read by the assertions below
type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
function resources(stack: string): Record<string, Resource> {
  const text = readFileSync(new URL(`../../../stacks/${stack}.yaml`, import.meta.url), "utf8");
  return parse(text, { customTags }).Resources;
}
const ofType = (all: Record<string, Resource>, type: string) =>
  Object.entries(all).filter(([, r]) => r.Type === type);

describe("services stack: the forwarder's failed events", () => {
  const all = resources("services");
  const [forwarderId] = ofType(all, "AWS::Lambda::Function").find(
    ([, r]) => r.Properties.Handler === "index.handler",
  )!;

  it("sends events that failed every asynchronous attempt to a standard SQS queue", () => {
    const configs = ofType(all, "AWS::Lambda::EventInvokeConfig");
    expect(configs).toHaveLength(1);
    const [, config] = configs[0]!;
    expect(config.Properties.FunctionName).toEqual({ Ref: forwarderId });
    expect(config.Properties.Qualifier).toBe("$LATEST");
    const destination = config.Properties.DestinationConfig.OnFailure.Destination;
    expect(destination).toEqual({ "Fn::GetAtt": [expect.any(String), "Arn"] });
    const queue = all[destination["Fn::GetAtt"][0]]!;
    expect(queue.Type).toBe("AWS::SQS::Queue");
    // Lambda refuses FIFO queues as destinations.
    expect(queue.Properties.FifoQueue).toBeUndefined();
    expect(queue.Properties.MessageRetentionPeriod).toBe(1209600);
  });

  it("lets the forwarder's role send to that queue and nowhere else", () => {
    const queueId = ofType(all, "AWS::Lambda::EventInvokeConfig")[0]![1].Properties
      .DestinationConfig.OnFailure.Destination["Fn::GetAtt"][0];
    const role = all[all[forwarderId]!.Properties.Role["Fn::GetAtt"][0]]!;
    const statements = role.Properties.Policies.flatMap(
      (p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement,
    ) as Array<{ Action: string | string[]; Resource: unknown }>;
    const sends = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith("sqs:")));
    expect(sends).toEqual([
      expect.objectContaining({
        Action: "sqs:SendMessage",
        Resource: { "Fn::GetAtt": [queueId, "Arn"] },
      }),
    ]);
  });

  it("alarms as soon as a failed event waits in the queue", () => {
    const queueId = ofType(all, "AWS::Lambda::EventInvokeConfig")[0]![1].Properties
      .DestinationConfig.OnFailure.Destination["Fn::GetAtt"][0];
    const alarms = ofType(all, "AWS::CloudWatch::Alarm").filter(([, a]) =>
      JSON.stringify(a.Properties.Dimensions ?? []).includes(queueId),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]![1].Properties).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "notBreaching",
      AlarmActions: [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Sub variable
        { "Fn::ImportValue": { "Fn::Sub": "restyled-${Environment}-AlertsTopicArn" } },
      ],
    });
  });

  it("exports the forwarder's ARN for the machines stack's subscription", () => {
    const text = readFileSync(new URL("../../../stacks/services.yaml", import.meta.url), "utf8");
    const outputs = parse(text, { customTags }).Outputs;
    expect(outputs.LogForwarderArn.Value).toEqual({ "Fn::GetAtt": [forwarderId, "Arn"] });
    expect(outputs.LogForwarderArn.Export.Name).toEqual({
      "Fn::Sub": cfn("restyled-{{Environment}}-LogForwarderArn"),
    });
  });
});

describe("machines stack: the agents' logs", () => {
  const all = resources("machines");

  it("makes the machines' log group with a retention and a deletion policy, subscribed to the forwarder", () => {
    const [[id, group]] = ofType(all, "AWS::Logs::LogGroup") as [[string, Resource]];
    expect(group.Properties.LogGroupName).toEqual({
      "Fn::Sub": cfn("restyled/{{Environment}}/machines"),
    });
    expect(group.Properties.RetentionInDays).toBeDefined();
    expect(group.DeletionPolicy).toBe("Delete");
    const [[, filter]] = ofType(all, "AWS::Logs::SubscriptionFilter") as [[string, Resource]];
    expect(filter.Properties.LogGroupName).toEqual({ Ref: id });
    expect(filter.Properties.DestinationArn).toEqual({
      "Fn::ImportValue": { "Fn::Sub": cfn("restyled-{{Environment}}-LogForwarderArn") },
    });
  });

  it("lets the instance role create streams and put events in that group only", () => {
    const statements = all.MachineRole!.Properties.Policies.flatMap(
      (p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement,
    ) as Array<{ Action: string | string[]; Resource: unknown }>;
    const logs = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith("logs:")));
    expect(logs).toHaveLength(1);
    expect([logs[0]!.Action].flat().sort()).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(logs[0]!.Resource).toEqual({
      "Fn::Sub": cfn(
        "arn:{{AWS::Partition}}:logs:{{AWS::Region}}:{{AWS::AccountId}}:log-group:restyled/{{Environment}}/machines:*",
      ),
    });
  });
});
