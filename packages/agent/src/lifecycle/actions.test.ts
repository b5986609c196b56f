import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  DescribeLifecycleHooksCommand,
  RecordLifecycleActionHeartbeatCommand,
} from "@aws-sdk/client-auto-scaling";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAgentLogger } from "../logger.js";
import { completeLifecycleAction, heartbeatIntervalFor, startHeartbeats } from "./actions.js";
import type { LifecycleAction } from "./message.js";

const autoscalingMock = mockClient(AutoScalingClient);
afterEach(() => autoscalingMock.reset());

const action: LifecycleAction = {
  transition: "terminating",
  hookName: "restyled-machine-test-terminating",
  groupName: "restyled-machines-test",
  instanceId: "i-0598c7d356eba48d7",
  token: "c4d2a1e0-9f55-4f0e-8d4c-3c1b2a7e9f10",
};

function logs() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    log: createAgentLogger({ level: "debug", write: (l) => lines.push(JSON.parse(l)) }),
  };
}

const awsError = (name: string, message: string, status: number) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

const client = () => new AutoScalingClient({ region: "us-east-1", maxAttempts: 1 });

describe("completeLifecycleAction", () => {
  it("sends the action's group, hook, instance, token and result", async () => {
    autoscalingMock.on(CompleteLifecycleActionCommand).resolves({ $metadata: { attempts: 1 } });
    const { log, lines } = logs();
    const outcome = await completeLifecycleAction({
      autoscaling: client(),
      action,
      result: "CONTINUE",
      deadlineMs: 1_000,
      log,
      fields: { jobsCut: 2 },
    });
    expect(outcome).toBe("completed");
    expect(autoscalingMock.commandCalls(CompleteLifecycleActionCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupName: "restyled-machines-test",
      LifecycleHookName: "restyled-machine-test-terminating",
      InstanceId: "i-0598c7d356eba48d7",
      LifecycleActionToken: "c4d2a1e0-9f55-4f0e-8d4c-3c1b2a7e9f10",
      LifecycleActionResult: "CONTINUE",
    });
    expect(lines.at(-1)).toMatchObject({
      msg: "lifecycle action completed",
      result: "CONTINUE",
      jobsCut: 2,
    });
  });

  it("treats an action AWS no longer knows as expired: an error, not done", async () => {
    autoscalingMock
      .on(CompleteLifecycleActionCommand)
      .rejects(
        awsError(
          "ValidationError",
          "No active Lifecycle Action found with token c4d2a1e0-9f55-4f0e-8d4c-3c1b2a7e9f10",
          400,
        ),
      );
    const { log, lines } = logs();
    const outcome = await completeLifecycleAction({
      autoscaling: client(),
      action,
      result: "CONTINUE",
      deadlineMs: 5_000,
      log,
    });
    expect(outcome).toBe("expired");
    expect(autoscalingMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({
      level: "error",
      msg: "the lifecycle action had expired: Auto Scaling no longer knows it",
    });
  });

  it("fails, saying so, when the call fails past the client's own retries", async () => {
    autoscalingMock
      .on(CompleteLifecycleActionCommand)
      .rejects(awsError("InternalFailure", "down", 500));
    const { log, lines } = logs();
    const outcome = await completeLifecycleAction({
      autoscaling: client(),
      action,
      result: "CONTINUE",
      deadlineMs: 5_000,
      log,
    });
    expect(outcome).toBe("failed");
    // No retry loop of its own: retrying is the SDK client's job.
    expect(autoscalingMock.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({
      level: "error",
      msg: "could not complete the lifecycle action before its deadline",
    });
  });
});

describe("startHeartbeats", () => {
  it("sends the first heartbeat at once, before the interval is known", async () => {
    autoscalingMock.on(RecordLifecycleActionHeartbeatCommand).resolves({});
    const { log } = logs();
    const heartbeats = startHeartbeats({
      autoscaling: client(),
      action,
      intervalMs: new Promise<number>(() => undefined),
      log,
    });
    await vi.waitFor(() =>
      expect(autoscalingMock.commandCalls(RecordLifecycleActionHeartbeatCommand)).toHaveLength(1),
    );
    heartbeats.stop();
  });

  it("records heartbeats for the action until stopped, surviving failures", async () => {
    autoscalingMock
      .on(RecordLifecycleActionHeartbeatCommand)
      .rejectsOnce(awsError("Throttling", "Rate exceeded", 400))
      .resolves({});
    const { log } = logs();
    const heartbeats = startHeartbeats({ autoscaling: client(), action, intervalMs: 20, log });
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (autoscalingMock.commandCalls(RecordLifecycleActionHeartbeatCommand).length >= 3) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    heartbeats.stop();
    const sent = autoscalingMock.commandCalls(RecordLifecycleActionHeartbeatCommand).length;
    await new Promise((r) => setTimeout(r, 80));
    expect(autoscalingMock.commandCalls(RecordLifecycleActionHeartbeatCommand)).toHaveLength(sent);
    expect(
      autoscalingMock.commandCalls(RecordLifecycleActionHeartbeatCommand)[0]?.args[0].input,
    ).toEqual({
      AutoScalingGroupName: action.groupName,
      LifecycleHookName: action.hookName,
      InstanceId: action.instanceId,
      LifecycleActionToken: action.token,
    });
  });

  it("reports an expired action and stops when AWS refuses a heartbeat for it", async () => {
    autoscalingMock
      .on(RecordLifecycleActionHeartbeatCommand)
      .rejects(
        awsError(
          "ValidationError",
          `No active Lifecycle Action found with token ${action.token}`,
          400,
        ),
      );
    const { log, lines } = logs();
    let expired = 0;
    startHeartbeats({
      autoscaling: client(),
      action,
      intervalMs: 10,
      log,
      onExpired: () => {
        expired += 1;
      },
    });
    await vi.waitFor(() => expect(expired).toBe(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(autoscalingMock.commandCalls(RecordLifecycleActionHeartbeatCommand)).toHaveLength(1);
    expect(lines.find((l) => l.level === "error")?.msg).toBe(
      "the lifecycle action expired: Auto Scaling refused a heartbeat",
    );
  });
});

describe("heartbeatIntervalFor", () => {
  it("is a third of the hook's HeartbeatTimeout", async () => {
    autoscalingMock
      .on(DescribeLifecycleHooksCommand, {
        AutoScalingGroupName: action.groupName,
        LifecycleHookNames: [action.hookName],
      })
      .resolves({
        LifecycleHooks: [{ LifecycleHookName: action.hookName, HeartbeatTimeout: 3600 }],
      });
    const { log } = logs();
    expect(await heartbeatIntervalFor({ autoscaling: client(), action, log })).toBe(1_200_000);
  });

  it("assumes the shortest timeout (30 s) when the hook cannot be read", async () => {
    autoscalingMock.on(DescribeLifecycleHooksCommand).rejects(awsError("AccessDenied", "no", 403));
    const { log, lines } = logs();
    expect(await heartbeatIntervalFor({ autoscaling: client(), action, log })).toBe(10_000);
    expect(lines[0]?.msg).toBe("could not read the lifecycle hook; assuming the shortest timeout");
  });
});
