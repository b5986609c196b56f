import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseLifecycleMessage } from "./message.js";

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8");

describe("parseLifecycleMessage", () => {
  it("reads a direct Auto Scaling LAUNCHING notification", () => {
    expect(parseLifecycleMessage(fixture("direct-launching"))).toEqual({
      kind: "action",
      format: "direct",
      action: {
        transition: "launching",
        hookName: "restyled-machine-test-launching",
        groupName: "restyled-machines-test",
        instanceId: "i-0598c7d356eba48d7",
        token: "71514b9d-6a40-4b26-8523-05e7ee35fa40",
      },
    });
  });

  it("reads a direct TERMINATING notification", () => {
    const parsed = parseLifecycleMessage(fixture("direct-terminating"));
    expect(parsed).toMatchObject({ kind: "action", action: { transition: "terminating" } });
  });

  it("unwraps an SNS envelope", () => {
    expect(parseLifecycleMessage(fixture("sns-terminating"))).toMatchObject({
      kind: "action",
      format: "sns",
      action: {
        transition: "terminating",
        token: "c4d2a1e0-9f55-4f0e-8d4c-3c1b2a7e9f10",
        instanceId: "i-0598c7d356eba48d7",
      },
    });
  });

  it.each([
    ["eventbridge-launching", "launching", "87654321-4321-4321-4321-210987654321"],
    ["eventbridge-terminating", "terminating", "87654321-4321-4321-4321-210987654321"],
  ])("reads the EventBridge event %s", (name, transition, token) => {
    expect(parseLifecycleMessage(fixture(name))).toMatchObject({
      kind: "action",
      format: "eventbridge",
      action: { transition, token, groupName: "restyled-machines-test" },
    });
  });

  it("recognises AWS's test notification", () => {
    expect(parseLifecycleMessage(fixture("test-notification"))).toEqual({
      kind: "test",
      groupName: "restyled-machines-test",
    });
  });

  it.each([
    ["not JSON", "hello <xml/>", "not a JSON object"],
    ["a JSON array", "[1,2]", "not a JSON object"],
    ["no transition", '{"EC2InstanceId":"i-0598c7d356eba48d7"}', "no LifecycleTransition"],
    [
      "an unknown transition",
      '{"LifecycleTransition":"autoscaling:EC2_INSTANCE_REBOOTING"}',
      'unknown LifecycleTransition "autoscaling:EC2_INSTANCE_REBOOTING"',
    ],
    [
      "a missing token",
      JSON.stringify({
        ...JSON.parse(fixture("direct-launching")),
        LifecycleActionToken: undefined,
      }),
      "missing LifecycleActionToken",
    ],
    [
      "another Auto Scaling event",
      '{"Event":"autoscaling:EC2_INSTANCE_LAUNCH"}',
      'event "autoscaling:EC2_INSTANCE_LAUNCH" is not a lifecycle action',
    ],
    ["an SNS envelope of garbage", '{"Type":"Notification","Message":"nope"}', "SNS envelope"],
    [
      "another EventBridge event",
      '{"source":"aws.autoscaling","detail-type":"EC2 Instance Launch Successful","detail":{}}',
      "is not a lifecycle action",
    ],
  ])("explains why %s is not a lifecycle notification", (_name, body, reason) => {
    const parsed = parseLifecycleMessage(body);
    expect(parsed.kind).toBe("invalid");
    expect(parsed.kind === "invalid" && parsed.reason).toContain(reason);
  });

  it("keeps a short one-line excerpt of an unreadable message", () => {
    const parsed = parseLifecycleMessage(`garbage\n${"x".repeat(500)}`);
    expect(parsed.kind === "invalid" && parsed.excerpt).toMatch(/^garbage x+…$/);
    expect(parsed.kind === "invalid" && parsed.excerpt.length).toBeLessThanOrEqual(121);
  });

  it("treats an empty body as invalid", () => {
    expect(parseLifecycleMessage(undefined).kind).toBe("invalid");
  });
});
