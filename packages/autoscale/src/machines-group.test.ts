import {
  AutoScalingClient,
  CreateOrUpdateTagsCommand,
  DescribeAutoScalingGroupsCommand,
} from "@aws-sdk/client-auto-scaling";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { describeGroupAnswer } from "../test/aws-fixtures.js";
import {
  DISABLED_SINCE_TAG,
  describeMachinesGroup,
  formatDisabledSince,
  LAST_ACTION_TAG,
  LOW_SINCE_TAG,
  parseDisabledSince,
  saveGroupMemory,
} from "./machines-group.js";

function client() {
  const autoScaling = new AutoScalingClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
  });
  return { autoScaling, mock: mockClient(autoScaling) };
}

describe("describeMachinesGroup", () => {
  it("counts instances by lifecycle state, including lifecycle-hook waits", () => {
    const { autoScaling, mock } = client();
    mock.on(DescribeAutoScalingGroupsCommand).resolves(
      describeGroupAnswer({
        name: "g",
        desired: 5,
        min: 1,
        max: 8,
        states: [
          "InService",
          "InService",
          "Pending:Wait",
          "Terminating:Wait",
          "Detaching",
          "Standby",
        ],
      }),
    );
    return expect(describeMachinesGroup(autoScaling, "g")).resolves.toMatchObject({
      state: { min: 1, max: 8, desired: 5, inService: 2, pending: 1, terminating: 2 },
      memory: { lowSince: null },
      lastAction: null,
      disabledSince: {},
    });
  });

  it("treats a garbled low-since tag as unset, restarting the clock", async () => {
    const { autoScaling, mock } = client();
    mock.on(DescribeAutoScalingGroupsCommand).resolves(
      describeGroupAnswer({
        name: "g",
        desired: 2,
        tags: { [LOW_SINCE_TAG]: "last tuesday", [LAST_ACTION_TAG]: "x" },
      }),
    );
    const group = await describeMachinesGroup(autoScaling, "g");
    expect(group.memory.lowSince).toBeNull();
    expect(group.lastAction).toBe("x");
  });

  it("asks for exactly the named group", async () => {
    const { autoScaling, mock } = client();
    mock.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    await expect(describeMachinesGroup(autoScaling, "nope")).rejects.toThrowError(
      'Auto Scaling group "nope" does not exist in this account and region',
    );
    expect(mock.commandCalls(DescribeAutoScalingGroupsCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupNames: ["nope"],
    });
  });
});

describe("saveGroupMemory", () => {
  it("writes the three tags on the group, not propagated to instances", async () => {
    const { autoScaling, mock } = client();
    mock.on(CreateOrUpdateTagsCommand).resolves({});
    await saveGroupMemory(autoScaling, "g", {
      lowSince: Date.parse("2026-01-01T00:00:00Z"),
      lastAction: null,
      disabledSince: {
        "i-0b": Date.parse("2026-01-01T00:05:00Z"),
        "i-0a": Date.parse("2026-01-01T00:00:00Z"),
      },
    });
    expect(mock.commandCalls(CreateOrUpdateTagsCommand)[0]?.args[0].input.Tags).toEqual([
      {
        ResourceId: "g",
        ResourceType: "auto-scaling-group",
        Key: LOW_SINCE_TAG,
        Value: "2026-01-01T00:00:00.000Z",
        PropagateAtLaunch: false,
      },
      {
        ResourceId: "g",
        ResourceType: "auto-scaling-group",
        Key: LAST_ACTION_TAG,
        Value: "",
        PropagateAtLaunch: false,
      },
      {
        ResourceId: "g",
        ResourceType: "auto-scaling-group",
        Key: DISABLED_SINCE_TAG,
        Value: "i-0a=1767225600 i-0b=1767225900",
        PropagateAtLaunch: false,
      },
    ]);
  });
});

describe("the disabled-since tag", () => {
  it("reads back what it wrote, dropping garbled entries (their clocks restart)", () => {
    const since = { "i-0a": 1767225600_000, "i-0b": 1767225900_000 };
    expect(parseDisabledSince(formatDisabledSince(since))).toEqual(since);
    expect(parseDisabledSince("i-0a=1767225600 junk i-0c=soon")).toEqual({
      "i-0a": 1767225600_000,
    });
  });

  it("keeps within a tag value's 256 characters, dropping the newest clocks", () => {
    const since = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [
        `i-0123456789abcdef${i.toString(16)}`,
        (1767225600 + i) * 1_000,
      ]),
    );
    const value = formatDisabledSince(since);
    expect(value.length).toBeLessThanOrEqual(256);
    const kept = parseDisabledSince(value);
    expect(Object.keys(kept)).toHaveLength(8);
    expect(kept["i-0123456789abcdef0"]).toBe(1767225600_000);
  });
});
