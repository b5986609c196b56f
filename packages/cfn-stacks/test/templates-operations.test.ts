import { describe, expect, it } from "vitest";
import { useShippedTemplates } from "./shipped-templates.js";

// What the on-call operator relies on in the shipped templates: every alarm
// reaches the alerts topic, the alarms that matter exist, and the machines
// roll through their TERMINATING hooks.
const { templates, property, plain, resources, ENV } = useShippedTemplates();

const topicImport = { "Fn::ImportValue": { "Fn::Sub": `restyled-${ENV}-AlertsTopicArn` } };

function alarms() {
  return [...templates.keys()].flatMap((stack) =>
    resources(stack)
      .filter(([, r]) => r.Type === "AWS::CloudWatch::Alarm")
      .map(([id, r]) => ({ stack, id, props: r.Properties as Record<string, unknown> })),
  );
}

describe("the alerts topic", () => {
  it("lives in iam, exported, with optional email and https-only subscriptions", () => {
    expect(plain(property("iam", "AlertsTopic", "TopicName"))).toEqual({
      "Fn::Sub": `restyled-${ENV}-alerts`,
    });
    const parameters = plain(templates.get("iam")!.root) as {
      Parameters: Record<string, { Default?: string; AllowedPattern?: string }>;
      Outputs: Record<string, { Export: unknown }>;
    };
    const https = new RegExp(parameters.Parameters.AlertHttpsEndpoint!.AllowedPattern!);
    expect(parameters.Parameters.AlertHttpsEndpoint?.Default).toBe("");
    expect(https.test("https://pager.example/hook")).toBe(true);
    expect(https.test("http://pager.example/hook")).toBe(false);
    expect(parameters.Parameters.AlertEmail?.Default).toBe("");
    expect(plain(property("iam", "AlertHttpsSubscription", "Protocol"))).toBe("https");
    expect(plain(property("iam", "AlertEmailSubscription", "Protocol"))).toBe("email");
    expect(parameters.Outputs.AlertsTopicArn?.Export).toEqual({
      Name: { "Fn::Sub": `restyled-${ENV}-AlertsTopicArn` },
    });
  });

  it("is in the alarm and OK actions of every alarm in every stack", () => {
    const all = alarms();
    expect(all.length).toBeGreaterThanOrEqual(9);
    for (const { stack, id, props } of all) {
      expect({ stack, id, actions: props.AlarmActions }).toEqual({
        stack,
        id,
        actions: [topicImport],
      });
      expect({ stack, id, ok: props.OKActions }).toEqual({ stack, id, ok: [topicImport] });
    }
  });
});

describe("the alarms an operator needs", () => {
  const find = (stack: string, id: string) =>
    alarms().find((a) => a.stack === stack && a.id === id)?.props;

  it("fire when the log forwarder fails", () => {
    expect(find("services", "LogForwarderErrorsAlarm")).toMatchObject({
      Namespace: "AWS/Lambda",
      MetricName: "Errors",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: "LogForwarder" } }],
    });
  });

  it("fire when a lifecycle notification waits too long", () => {
    expect(find("machines", "LifecycleQueueAgeAlarm")).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateAgeOfOldestMessage",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": "LifecycleQueue.QueueName" } }],
    });
  });

  it("fire when the autoscaler stops running, missing data counting as breaching", () => {
    expect(find("ops", "AutoscaleNotRunningAlarm")).toMatchObject({
      Namespace: "AWS/Lambda",
      MetricName: "Invocations",
      ComparisonOperator: "LessThanThreshold",
      Threshold: 1,
      TreatMissingData: "breaching",
    });
  });

  it("fire when the machines or the Webhooks tasks fall short of desired", () => {
    for (const [stack, id] of [
      ["machines", "MachinesShortAlarm"],
      ["services", "WebhooksTasksShortAlarm"],
    ] as const) {
      const props = find(stack, id) as { Metrics: Array<{ Expression?: string }> };
      expect(props.Metrics[0]?.Expression).toMatch(/^desired - /);
    }
    // The group publishes the two metrics MachinesShortAlarm reads.
    expect(plain(property("machines", "MachinesGroup", "MetricsCollection"))).toEqual([
      {
        Granularity: "1Minute",
        Metrics: ["GroupDesiredCapacity", "GroupInServiceInstances"],
      },
    ]);
  });
});

describe("rolling the machines", () => {
  const group = () =>
    resources("machines").find(([id]) => id === "MachinesGroup")![1] as Record<string, unknown>;

  it("replaces machines by an instance refresh that launches before it terminates", () => {
    expect(group().UpdatePolicy).toEqual({
      AutoScalingInstanceRefresh: {
        Strategy: "Rolling",
        Preferences: {
          MinHealthyPercentage: 100,
          MaxHealthyPercentage: 150,
          SkipMatching: true,
          ScaleInProtectedInstances: "Wait",
          StandbyInstances: "Wait",
          AlarmSpecification: {
            Alarms: [{ Ref: "LifecycleDeadLetterAlarm" }, { Ref: "LifecycleQueueAgeAlarm" }],
          },
        },
      },
    });
  });

  it("points the group at the launch template's latest version, so any change rolls", () => {
    expect(plain(property("machines", "MachinesGroup", "LaunchTemplate.Version"))).toEqual({
      "Fn::GetAtt": "LaunchTemplate.LatestVersionNumber",
    });
  });

  it("keeps every machine younger than the certificates its user-data makes", () => {
    expect(plain(property("machines", "MachinesGroup", "MaxInstanceLifetime"))).toEqual({
      Ref: "MaxInstanceLifetime",
    });
    const parameters = (
      plain(templates.get("machines")!.root) as {
        Parameters: Record<string, { MaxValue: number; Default: number; MinValue: number }>;
      }
    ).Parameters;
    const lifetime = parameters.MaxInstanceLifetime!;
    // Auto Scaling's own range: 0 (off) or one day to 365 days.
    expect(lifetime.MinValue).toBeGreaterThanOrEqual(86_400);
    const userData = JSON.stringify(
      plain(property("machines", "LaunchTemplate", "LaunchTemplateData.UserData")),
    );
    const days = Number(userData.match(/init-certificates@[^\n]*?--days (\d+)/s)?.[1]);
    expect(days).toBeGreaterThan(0);
    expect(lifetime.MaxValue).toBeLessThan(days * 86_400);
    expect(lifetime.Default).toBeLessThanOrEqual(lifetime.MaxValue);
  });
});
