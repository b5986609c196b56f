import {
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
} from "@aws-sdk/client-cloudformation";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it, vi } from "vitest";
import { interruptibleSleep } from "../src/cloudformation/events.js";
import { InterruptedError } from "../src/errors.js";
import { addChanges } from "./deploy-fixtures.js";
import { useHarness } from "./harness.js";

// Stand-ins: CloudFormation (stateful fake over aws-sdk-client-mock) and S3.
const h = useHarness();

/** Starts a deploy and interrupts it while the SDK waiter waits for the change set. */
async function interruptWhileComputed(interrupt: () => void, argv: string[]) {
  // A long waiter delay: the change set is still pending when the signal comes.
  h.waiterDelays = { minDelay: 30, maxDelay: 60, maxWaitTime: 600 };
  const running = h.cli(...argv);
  await vi.waitFor(
    () => expect(h.cfn.mock.commandCalls(DescribeChangeSetCommand)).toHaveLength(1),
    { timeout: 20_000 },
  );
  interrupt();
  return running;
}

describe("a change set that goes wrong before execution", () => {
  it("is deleted, with the new stack it made, when CloudFormation rejects it", async () => {
    h.cfn.nextChangeSet = { failed: "Template format error: Unresolved resource dependencies" };
    expect(await h.cli("deploy", "plain", "--env", "test", "--yes")).toBe(1);
    expect(h.errors).toEqual([
      "restyled-stacks: change set for restyled-test-plain failed: Template format error: Unresolved resource dependencies",
    ]);
    expect(h.cfn.mock.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(h.cfn.mock.commandCalls(DeleteStackCommand)).toHaveLength(1);
    expect(h.cfn.changeSets.size).toBe(0);
  });

  it("is deleted when the operator presses Ctrl-C while it is computed, exit 130", async () => {
    h.cfn.addStack({ StackName: "restyled-test-plain", StackStatus: "UPDATE_COMPLETE" });
    h.cfn.nextChangeSet = { changes: addChanges };
    const code = await interruptWhileComputed(h.interrupt, [
      "deploy",
      "plain",
      "--env",
      "test",
      "--yes",
    ]);
    expect(code).toBe(130);
    expect(h.errors).toEqual([
      "restyled-stacks: received SIGINT; stopping (send it again to force)",
      "restyled-stacks: stopped",
    ]);
    expect(h.cfn.mock.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(h.cfn.changeSets.size).toBe(0);
    // The stack existed before: it stays.
    expect(h.cfn.mock.commandCalls(DeleteStackCommand)).toEqual([]);
    expect(h.cfn.mock.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
  });

  it("leaves no change set, no new stack and no upload when a CI job is cancelled (SIGTERM)", async () => {
    h.cfn.nextChangeSet = { changes: addChanges };
    const code = await interruptWhileComputed(
      () => h.signals.emit("SIGTERM"),
      [
        "deploy",
        "queue",
        "--env",
        "test",
        "--yes",
        "--code-bucket",
        "b",
        "--param",
        "AlarmEmail=x",
      ],
    );
    expect(code).toBe(130);
    expect(h.errors).toEqual([
      "restyled-stacks: received SIGTERM; stopping (send it again to force)",
      "restyled-stacks: stopped",
    ]);
    expect(h.cfn.changeSets.size).toBe(0);
    // The CREATE change set's REVIEW_IN_PROGRESS stack is gone too.
    expect(h.cfn.stacks.get("restyled-test-queue")?.StackStatus).toMatch(/^DELETE_/);
    expect(h.s3.commandCalls(PutObjectCommand)).toEqual([]);
    expect(h.exits).toEqual([]);
  });
});

describe("Ctrl-C while the stack updates", () => {
  it("stops watching, says the deploy goes on, and exits 130", async () => {
    h.cfn.addStack({ StackName: "restyled-test-plain", StackStatus: "UPDATE_COMPLETE" });
    h.cfn.nextChangeSet = { changes: addChanges.slice(0, 1) };
    h.cfn.nextExecution = {
      steps: [{ logicalId: "Topic", type: "AWS::SNS::Topic", status: "UPDATE_IN_PROGRESS" }],
      final: "UPDATE_COMPLETE",
    };
    // The first wait between event polls is where the operator presses Ctrl-C.
    h.sleep = async () => {
      throw new InterruptedError("interrupted");
    };
    expect(await h.cli("deploy", "plain", "--env", "test", "--yes")).toBe(130);
    expect(h.out.lines.at(-1)).toBe(
      "stopped watching restyled-test-plain; the deploy goes on in CloudFormation",
    );
    expect(h.errors).toEqual([
      "restyled-stacks: stopped watching restyled-test-plain; the deploy goes on in CloudFormation",
    ]);
    expect(h.cfn.mock.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
    expect(h.cfn.mock.commandCalls(DeleteChangeSetCommand)).toEqual([]);
  });
});

describe("interruptibleSleep", () => {
  it("waits, and ends with an InterruptedError as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const sleep = interruptibleSleep(controller.signal);
    await sleep(1);
    const waiting = sleep(60_000);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
    await expect(sleep(1)).rejects.toBeInstanceOf(InterruptedError);
  });
});
