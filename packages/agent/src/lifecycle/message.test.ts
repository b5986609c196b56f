import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { entersWarmPool, parseLifecycleMessage } from "./message.js";

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
        origin: "EC2",
        destination: "AutoScalingGroup",
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

describe("parseLifecycleMessage with a warm pool", () => {
  const direct = () => JSON.parse(fixture("direct-launching")) as Record<string, unknown>;

  it("reads a direct launch into the warm pool (Origin EC2, Destination WarmPool)", () => {
    const parsed = parseLifecycleMessage(fixture("direct-launching-warm-pool"));
    expect(parsed).toEqual({
      kind: "action",
      format: "direct",
      action: {
        transition: "launching",
        hookName: "restyled-machine-test-launching",
        groupName: "restyled-machines-test",
        instanceId: "i-0598c7d356eba48d7",
        token: "a1b2c3d4-1111-4222-8333-444455556666",
        origin: "EC2",
        destination: "WarmPool",
      },
    });
    expect(parsed.kind === "action" && entersWarmPool(parsed.action)).toBe(true);
  });

  it("reads a launch out of the warm pool in an SNS envelope (Origin WarmPool)", () => {
    const parsed = parseLifecycleMessage(fixture("sns-launching-from-warm-pool"));
    expect(parsed).toMatchObject({
      kind: "action",
      format: "sns",
      action: {
        transition: "launching",
        token: "b2c3d4e5-2222-4333-8444-555566667777",
        origin: "WarmPool",
        destination: "AutoScalingGroup",
      },
    });
    expect(parsed.kind === "action" && entersWarmPool(parsed.action)).toBe(false);
  });

  it.each([
    ["eventbridge-launching-warm-pool", "launching", "EC2", "WarmPool"],
    ["eventbridge-terminating-to-warm-pool", "terminating", "AutoScalingGroup", "WarmPool"],
    ["eventbridge-launching", "launching", "EC2", "AutoScalingGroup"],
    ["eventbridge-terminating", "terminating", "AutoScalingGroup", "EC2"],
  ])(
    "reads Origin and Destination from the EventBridge detail of %s",
    (name, transition, origin, destination) => {
      const parsed = parseLifecycleMessage(fixture(name));
      expect(parsed).toMatchObject({
        kind: "action",
        format: "eventbridge",
        action: { transition, origin, destination },
      });
      expect(parsed.kind === "action" && entersWarmPool(parsed.action)).toBe(
        destination === "WarmPool",
      );
    },
  );

  it("reads a notification without Origin and Destination as before (no warm pool)", () => {
    const { Origin: _o, Destination: _d, ...rest } = direct();
    const parsed = parseLifecycleMessage(JSON.stringify(rest));
    expect(parsed.kind).toBe("action");
    if (parsed.kind !== "action") return;
    expect(parsed.action).not.toHaveProperty("origin");
    expect(parsed.action).not.toHaveProperty("destination");
    expect(entersWarmPool(parsed.action)).toBe(false);
  });

  it.each([
    ["an unknown Origin", { Origin: "Spot" }, 'unknown Origin "Spot"'],
    ["an unknown Destination", { Destination: "warmpool" }, 'unknown Destination "warmpool"'],
    ["an empty Destination", { Destination: "" }, 'unknown Destination ""'],
    ["a numeric Origin", { Origin: 3 }, "unknown Origin 3"],
    ["a null Destination", { Destination: null }, "unknown Destination null"],
  ])("refuses %s, naming the instance", (_name, fields, reason) => {
    const parsed = parseLifecycleMessage(JSON.stringify({ ...direct(), ...fields }));
    expect(parsed).toMatchObject({ kind: "invalid", instanceId: "i-0598c7d356eba48d7" });
    expect(parsed.kind === "invalid" && parsed.reason).toContain(reason);
    expect(parsed.kind === "invalid" && parsed.reason).toContain(
      "expected EC2, AutoScalingGroup, WarmPool",
    );
  });

  it("refuses an unknown Destination inside an SNS envelope and an EventBridge detail", () => {
    const sns = JSON.parse(fixture("sns-launching-from-warm-pool")) as Record<string, unknown>;
    sns.Message = JSON.stringify({ ...JSON.parse(sns.Message as string), Destination: "Moon" });
    const eventbridge = JSON.parse(fixture("eventbridge-terminating-to-warm-pool")) as {
      detail: Record<string, unknown>;
    };
    eventbridge.detail.Origin = "Elsewhere";
    const fromSns = parseLifecycleMessage(JSON.stringify(sns));
    const fromEventBridge = parseLifecycleMessage(JSON.stringify(eventbridge));
    expect(fromSns).toMatchObject({ kind: "invalid", instanceId: "i-0598c7d356eba48d7" });
    expect(fromSns.kind === "invalid" && fromSns.reason).toContain(
      'SNS envelope: unknown Destination "Moon"',
    );
    expect(fromEventBridge).toMatchObject({ kind: "invalid", instanceId: "i-0598c7d356eba48d7" });
    expect(fromEventBridge.kind === "invalid" && fromEventBridge.reason).toContain(
      'EventBridge event: unknown Origin "Elsewhere"',
    );
  });
});
