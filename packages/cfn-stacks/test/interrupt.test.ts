import {
  DeleteChangeSetCommand,
  DeleteStackCommand,
  ExecuteChangeSetCommand,
} from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import { interruptibleSleep } from "../src/cloudformation/events.js";
import { InterruptedError } from "../src/errors.js";
import { addChanges } from "./deploy-fixtures.js";
import { useHarness } from "./harness.js";

// Stand-ins: CloudFormation (stateful fake over aws-sdk-client-mock) and S3.
const h = useHarness();

describe("a change set that goes wrong before execution", () => {
  it("is deleted, with the new stack it made, when CloudFormation rejects it", async () => {
    h.cfn.nextChangeSet = { failed: "Template format error: Unresolved resource dependencies" };
    expect(await h.cli("deploy", "plain", "--env", "test", "--yes")).toBe(1);
    expect(h.errors).toEqual([
      "error: change set for restyled-test-plain failed: Template format error: Unresolved resource dependencies",
    ]);
    expect(h.cfn.mock.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(h.cfn.mock.commandCalls(DeleteStackCommand)).toHaveLength(1);
    expect(h.cfn.changeSets.size).toBe(0);
  });

  it("is deleted when the operator presses Ctrl-C while it is computed, exit 130", async () => {
    h.cfn.addStack({ StackName: "restyled-test-plain", StackStatus: "UPDATE_COMPLETE" });
    h.cfn.nextChangeSet = { changes: addChanges };
    h.sleep = async () => {
      throw new InterruptedError("interrupted");
    };
    expect(await h.cli("deploy", "plain", "--env", "test", "--yes")).toBe(130);
    expect(h.errors).toEqual(["interrupted"]);
    expect(h.cfn.mock.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    // The stack existed before: it stays.
    expect(h.cfn.mock.commandCalls(DeleteStackCommand)).toEqual([]);
    expect(h.cfn.mock.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
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
    let polls = 0;
    h.sleep = async () => {
      // The first wait is the change set's; interrupt once events are streaming.
      if (++polls > 1) throw new InterruptedError("interrupted");
    };
    expect(await h.cli("deploy", "plain", "--env", "test", "--yes")).toBe(130);
    expect(h.errors).toEqual([
      "stopped watching restyled-test-plain; the deploy goes on in CloudFormation",
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
