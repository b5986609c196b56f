import { ExecuteChangeSetCommand } from "@aws-sdk/client-cloudformation";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { addChanges, existingQueueStack } from "./deploy-fixtures.js";
import { useHarness } from "./harness.js";

// Stand-ins: CloudFormation (a stateful fake over aws-sdk-client-mock) and S3
// (aws-sdk-client-mock). The templates, the workspace and the zips are real files.
const h = useHarness();

describe("deploy an existing stack", () => {
  it("keeps the parameters not named and reuses the stack's code bucket", async () => {
    existingQueueStack(h);
    h.s3.on(HeadObjectCommand).resolves({});
    h.cfn.nextChangeSet = {
      changes: [
        {
          Type: "Resource",
          ResourceChange: {
            Action: "Modify",
            LogicalResourceId: "Worker",
            ResourceType: "AWS::Lambda::Function",
            Replacement: "False",
          },
        },
      ],
    };
    h.cfn.nextExecution = {
      steps: [{ logicalId: "Worker", type: "AWS::Lambda::Function", status: "UPDATE_COMPLETE" }],
      final: "UPDATE_COMPLETE",
    };
    const code = await h.cli(
      "deploy",
      "queue",
      "--env",
      "test",
      "--yes",
      "--param",
      "RetentionSeconds=600",
      "--skip-build",
    );
    expect(h.errors).toEqual([]);
    expect(code).toBe(0);
    expect(h.cfn.created[0]?.ChangeSetType).toBe("UPDATE");
    expect(h.cfn.created[0]?.Parameters).toEqual([
      { ParameterKey: "Environment", ParameterValue: "test" },
      { ParameterKey: "CodeBucket", ParameterValue: "old-bucket" },
      { ParameterKey: "WorkerCodeKey", ParameterValue: h.ws.expectedKey },
      { ParameterKey: "RetentionSeconds", ParameterValue: "600" },
      { ParameterKey: "AlarmEmail", UsePreviousValue: true },
    ]);
    // The same code is already in the bucket under its hash: nothing uploaded.
    expect(h.s3.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: "old-bucket",
      Key: h.ws.expectedKey,
    });
    expect(h.s3.commandCalls(PutObjectCommand)).toEqual([]);
    expect(h.cfn.stacks.get("restyled-test-queue")?.Parameters).toContainEqual({
      ParameterKey: "AlarmEmail",
      ParameterValue: "ops",
    });
  });

  it("prints no changes, exits 0 and deletes the empty change set", async () => {
    h.cfn.addStack({
      StackName: "restyled-test-plain",
      StackStatus: "UPDATE_COMPLETE",
      Parameters: [{ ParameterKey: "Environment", ParameterValue: "test" }],
    });
    h.cfn.nextChangeSet = {
      failed:
        "The submitted information didn't contain changes. Submit different information to create a change set.",
    };
    const code = await h.cli("deploy", "plain", "--env", "test");
    expect(code).toBe(0);
    expect(h.out.lines).toEqual(["restyled-test-plain: no changes"]);
    expect(h.questions).toEqual([]);
    expect(h.cfn.mock.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
    expect(h.cfn.changeSets.size).toBe(0);
  });

  it("prints the failed resources' reasons and exits 1 when the update rolls back", async () => {
    h.cfn.addStack({
      StackName: "restyled-test-plain",
      StackStatus: "UPDATE_COMPLETE",
      Parameters: [{ ParameterKey: "Environment", ParameterValue: "test" }],
    });
    h.cfn.nextChangeSet = { changes: addChanges.slice(0, 2) };
    h.cfn.nextExecution = {
      steps: [
        {
          logicalId: "Queue",
          type: "AWS::SQS::Queue",
          status: "CREATE_FAILED",
          reason: 'Resource handler returned message: "Access denied"',
        },
        {
          logicalId: "WorkerRole",
          type: "AWS::IAM::Role",
          status: "CREATE_FAILED",
          reason: "Resource creation cancelled",
        },
        { logicalId: "Queue", type: "AWS::SQS::Queue", status: "DELETE_COMPLETE" },
      ],
      final: "UPDATE_ROLLBACK_COMPLETE",
    };
    const code = await h.cli("deploy", "plain", "--env", "test", "--yes");
    expect(code).toBe(1);
    expect(h.errors).toEqual([
      "restyled-stacks: deploy of restyled-test-plain failed: UPDATE_ROLLBACK_COMPLETE",
    ]);
    const text = h.out.text();
    expect(text).toContain("restyled-test-plain ended UPDATE_ROLLBACK_COMPLETE; what failed:");
    expect(text).toContain(
      '  Queue (AWS::SQS::Queue): Resource handler returned message: "Access denied"',
    );
    expect(text).not.toContain("  WorkerRole (AWS::IAM::Role): Resource creation cancelled");
  });

  it("says the next deploy retries when a create rolls back", async () => {
    h.cfn.nextChangeSet = { changes: addChanges.slice(0, 1) };
    h.cfn.nextExecution = {
      steps: [
        {
          logicalId: "Topic",
          type: "AWS::SNS::Topic",
          status: "CREATE_FAILED",
          reason: "Topic already exists",
        },
      ],
      final: "ROLLBACK_COMPLETE",
    };
    const code = await h.cli("deploy", "plain", "--env", "test", "--yes");
    expect(code).toBe(1);
    expect(h.errors[0]).toBe(
      "restyled-stacks: deploy of restyled-test-plain failed: ROLLBACK_COMPLETE (the next deploy offers to delete the rolled-back stack and retry)",
    );
    expect(h.out.text()).toContain("  Topic (AWS::SNS::Topic): Topic already exists");
  });

  it("refuses to touch a stack that is busy", async () => {
    h.cfn.addStack({ StackName: "restyled-test-plain", StackStatus: "UPDATE_IN_PROGRESS" });
    const code = await h.cli("deploy", "plain", "--env", "test", "--yes");
    expect(code).toBe(1);
    expect(h.errors).toEqual([
      "restyled-stacks: restyled-test-plain is busy (UPDATE_IN_PROGRESS); wait for it to finish",
    ]);
    expect(h.cfn.created).toEqual([]);
  });

  it("with --dry-run shows the change set, uploads nothing and removes it", async () => {
    existingQueueStack(h);
    h.cfn.nextChangeSet = { changes: addChanges.slice(0, 1) };
    const code = await h.cli("deploy", "queue", "--env", "test", "--dry-run", "--skip-build");
    expect(code).toBe(0);
    expect(h.s3.commandCalls(HeadObjectCommand)).toEqual([]);
    expect(h.s3.commandCalls(PutObjectCommand)).toEqual([]);
    expect(h.cfn.mock.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
    expect(h.cfn.changeSets.size).toBe(0);
  });
});
