import {
  DeleteChangeSetCommand,
  DeleteStackCommand,
  ExecuteChangeSetCommand,
} from "@aws-sdk/client-cloudformation";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { addChanges, createdQueueSteps } from "./deploy-fixtures.js";
import { useHarness } from "./harness.js";

// Stand-ins: CloudFormation (a stateful fake over aws-sdk-client-mock) and S3
// (aws-sdk-client-mock). The templates, the workspace and the zips are real files.
const h = useHarness();

describe("deploy a new stack", () => {
  it("builds and uploads the Lambda code, creates the stack and prints events and outputs", async () => {
    h.cfn.nextChangeSet = { changes: addChanges };
    h.cfn.nextExecution = { steps: createdQueueSteps, final: "CREATE_COMPLETE" };
    h.cfn.outputsAfter = [
      { OutputKey: "QueueUrl", OutputValue: "https://sqs/q", ExportName: "fixture-test-QueueUrl" },
    ];

    const code = await h.cli(
      "deploy",
      "queue",
      "--env",
      "test",
      "--code-bucket",
      "code",
      "--param",
      "AlarmEmail=ops",
    );

    expect(h.errors).toEqual([]);
    expect(code).toBe(0);
    expect(h.builds).toEqual([
      {
        command: "pnpm",
        args: ["--filter", "@restyled/fixture-worker...", "run", "build"],
        cwd: h.ws.root,
      },
    ]);
    const put = h.s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put?.Bucket).toBe("code");
    expect(put?.Key).toBe(h.ws.expectedKey);
    expect(Buffer.from(put?.Body as Uint8Array).equals(h.ws.zip)).toBe(true);

    const [request] = h.cfn.created;
    expect(request?.ChangeSetType).toBe("CREATE");
    expect(request?.StackName).toBe("restyled-test-queue");
    expect(request?.Capabilities).toEqual(["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]);
    // RetentionSeconds is not named and has a default: left out, so the default applies.
    expect(request?.Parameters).toEqual([
      { ParameterKey: "Environment", ParameterValue: "test" },
      { ParameterKey: "CodeBucket", ParameterValue: "code" },
      { ParameterKey: "WorkerCodeKey", ParameterValue: h.ws.expectedKey },
      { ParameterKey: "AlarmEmail", ParameterValue: "ops" },
    ]);
    expect(h.questions).toEqual(["Deploy these changes to restyled-test-queue?"]);
    expect(h.cfn.mock.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);

    const text = h.out.text();
    expect(text).toContain(
      "restyled-test-queue: 3 changes: 3 to add, 0 to modify, 0 to remove, 1 IAM",
    );
    expect(text).toMatch(/WorkerRole\s+AWS::IAM::Role\s+-\s+! IAM/);
    expect(text).toMatch(
      /\[0\/3\]\s+15:00:\d\d\s+CREATE_IN_PROGRESS\s+restyled-test-queue\s+AWS::CloudFormation::Stack\s+User Initiated/,
    );
    expect(text).toMatch(
      /\[3\/3\]\s+15:00:\d\d\s+CREATE_COMPLETE\s+Worker\s+AWS::Lambda::Function/,
    );
    expect(text).toContain("restyled-test-queue: CREATE_COMPLETE");
    expect(text).toMatch(/QueueUrl\s+https:\/\/sqs\/q\s+fixture-test-QueueUrl/);
    // No event is printed twice, though events were read in pages of three.
    const eventLines = h.out.lines.filter((l) => /^\[\d\/3\]/.test(l));
    expect(eventLines).toHaveLength(7);
  });

  it("refuses a new stack whose required parameter has no value, before any change", async () => {
    const code = await h.cli(
      "deploy",
      "queue",
      "--env",
      "test",
      "--code-bucket",
      "code",
      "--skip-build",
    );
    expect(code).toBe(78);
    expect(h.errors).toEqual([
      "restyled-stacks: no value for AlarmEmail: pass --param AlarmEmail=VALUE",
    ]);
    expect(h.cfn.created).toEqual([]);
    expect(h.s3.commandCalls(PutObjectCommand)).toEqual([]);
  });

  it("asks for a code bucket when a stack has Lambda code and none is known", async () => {
    const code = await h.cli("deploy", "queue", "--env", "test", "--param", "AlarmEmail=ops");
    expect(code).toBe(78);
    expect(h.errors[0]).toMatch(/queue has Lambda code: pass --code-bucket BUCKET/);
    expect(h.builds).toEqual([]);
    expect(h.cfn.created).toEqual([]);
  });

  it("names the missing zip when --skip-build finds no build", async () => {
    const { rm } = await import("node:fs/promises");
    await rm(`${h.ws.root}/packages/fixture-worker/dist/lambda.zip`);
    const code = await h.cli(
      "deploy",
      "queue",
      "--env",
      "test",
      "--code-bucket",
      "b",
      "--skip-build",
      "--param",
      "AlarmEmail=x",
    );
    expect(code).toBe(78);
    expect(h.errors[0]).toMatch(
      /fixture-worker\/dist\/lambda.zip is missing; build @restyled\/fixture-worker first/,
    );
    expect(h.s3.commandCalls(PutObjectCommand)).toEqual([]);
    expect(h.cfn.created).toEqual([]);
  });

  it("leaves nothing behind when the operator declines", async () => {
    h.cfn.nextChangeSet = { changes: addChanges };
    h.answer = false;
    const code = await h.cli("deploy", "plain", "--env", "test");
    expect(code).toBe(1);
    expect(h.errors).toEqual([
      "restyled-stacks: deploy of restyled-test-plain cancelled; nothing was changed",
    ]);
    expect(h.cfn.mock.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
    expect(h.cfn.mock.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    // The REVIEW_IN_PROGRESS stack the CREATE change set made is removed too.
    expect(h.cfn.mock.commandCalls(DeleteStackCommand)).toHaveLength(1);
    expect(h.cfn.changeSets.size).toBe(0);
  });

  it("uploads no Lambda code when the operator declines", async () => {
    h.cfn.nextChangeSet = { changes: addChanges };
    h.answer = false;
    const code = await h.cli(
      "deploy",
      "queue",
      "--env",
      "test",
      "--code-bucket",
      "b",
      "--param",
      "AlarmEmail=x",
    );
    expect(code).toBe(1);
    expect(h.questions).toEqual(["Deploy these changes to restyled-test-queue?"]);
    // The change set names the zip by its hash, so it is made without uploading.
    expect(h.cfn.created[0]?.Parameters).toContainEqual({
      ParameterKey: "WorkerCodeKey",
      ParameterValue: h.ws.expectedKey,
    });
    expect(h.s3.commandCalls(HeadObjectCommand)).toEqual([]);
    expect(h.s3.commandCalls(PutObjectCommand)).toEqual([]);
    expect(h.cfn.changeSets.size).toBe(0);
  });

  it("keeps a ROLLBACK_COMPLETE stack when the retry would fail on a missing parameter", async () => {
    const old = h.cfn.addStack({
      StackName: "restyled-test-queue",
      StackStatus: "ROLLBACK_COMPLETE",
    });
    const code = await h.cli("deploy", "queue", "--env", "test", "--code-bucket", "b", "--yes");
    expect(code).toBe(78);
    expect(h.errors).toEqual([
      "restyled-stacks: no value for AlarmEmail: pass --param AlarmEmail=VALUE",
    ]);
    expect(h.cfn.mock.commandCalls(DeleteStackCommand)).toEqual([]);
    expect(old.StackStatus).toBe("ROLLBACK_COMPLETE");
  });

  it("deletes a stack stuck in ROLLBACK_COMPLETE and creates it again", async () => {
    const old = h.cfn.addStack({
      StackName: "restyled-test-plain",
      StackStatus: "ROLLBACK_COMPLETE",
    });
    h.cfn.nextChangeSet = { changes: addChanges.slice(0, 1) };
    h.cfn.nextExecution = { steps: [], final: "CREATE_COMPLETE" };
    const code = await h.cli("deploy", "plain", "--env", "test", "--yes");
    expect(h.errors).toEqual([]);
    expect(code).toBe(0);
    expect(h.questions).toEqual([]);
    const deletes = h.cfn.mock
      .commandCalls(DeleteStackCommand)
      .map((c) => c.args[0].input.StackName);
    expect(deletes).toEqual([old.StackId]);
    expect(old.StackStatus).toBe("DELETE_COMPLETE");
    expect(h.cfn.created[0]?.ChangeSetType).toBe("CREATE");
    expect(h.out.text()).toContain(
      "restyled-test-plain is ROLLBACK_COMPLETE after a failed create: deploy deletes it, then creates these",
    );
    expect(h.out.text()).toContain(
      "deleting restyled-test-plain (ROLLBACK_COMPLETE) before creating it again",
    );
    expect(h.out.text()).toMatch(/DELETE_COMPLETE\s+restyled-test-plain/);
  });

  it("asks once before deleting a ROLLBACK_COMPLETE stack, and declined changes nothing at all", async () => {
    const old = h.cfn.addStack({
      StackName: "restyled-test-plain",
      StackStatus: "ROLLBACK_COMPLETE",
    });
    h.answer = false;
    const code = await h.cli("deploy", "plain", "--env", "test");
    expect(code).toBe(1);
    expect(h.questions).toEqual(["Delete restyled-test-plain and create it again?"]);
    expect(h.errors).toEqual([
      "restyled-stacks: deploy of restyled-test-plain cancelled; nothing was changed",
    ]);
    // The rolled-back stack is still there, untouched, and no change set was made.
    expect(old.StackStatus).toBe("ROLLBACK_COMPLETE");
    expect(h.cfn.mock.commandCalls(DeleteStackCommand)).toEqual([]);
    expect(h.cfn.created).toEqual([]);
  });

  it("with a yes deletes the rolled-back stack and deploys without asking again", async () => {
    h.cfn.addStack({ StackName: "restyled-test-plain", StackStatus: "ROLLBACK_COMPLETE" });
    h.cfn.nextChangeSet = { changes: addChanges.slice(0, 1) };
    h.cfn.nextExecution = { steps: [], final: "CREATE_COMPLETE" };
    expect(await h.cli("deploy", "plain", "--env", "test")).toBe(0);
    expect(h.questions).toEqual(["Delete restyled-test-plain and create it again?"]);
    expect(h.cfn.mock.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
  });
});
