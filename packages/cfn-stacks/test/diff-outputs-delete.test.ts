import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
} from "@aws-sdk/client-cloudformation";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { useHarness } from "./harness.js";

// Stand-ins: CloudFormation (stateful fake over aws-sdk-client-mock) and S3.
const h = useHarness({ RESTYLED_ENV: "test", RESTYLED_CODE_BUCKET: "code" });

describe("diff", () => {
  it("prints the change set as a table, calls out replacements and IAM, and removes it", async () => {
    h.cfn.addStack({
      StackName: "restyled-test-queue",
      StackStatus: "UPDATE_COMPLETE",
      Parameters: [
        { ParameterKey: "Environment", ParameterValue: "test" },
        { ParameterKey: "AlarmEmail", ParameterValue: "ops" },
        { ParameterKey: "CodeBucket", ParameterValue: "old-code" },
        { ParameterKey: "WorkerCodeKey", ParameterValue: "lambda/fixture-worker/old.zip" },
        { ParameterKey: "RetentionSeconds", ParameterValue: "3600" },
      ],
    });
    // Deployed: the fixture template with a shorter retention and another handler.
    const current = await readFile(join(h.ws.stacksDir, "queue.yaml"), "utf8");
    h.more.templates.set(
      "restyled-test-queue",
      current.replace("Handler: index.handler", "Handler: old.handler"),
    );
    h.cfn.nextChangeSet = {
      changes: [
        {
          Type: "Resource",
          ResourceChange: {
            Action: "Modify",
            LogicalResourceId: "Queue",
            ResourceType: "AWS::SQS::Queue",
            Replacement: "True",
            // As CloudFormation describes a change set made with IncludePropertyValues.
            Details: [
              {
                Target: {
                  Attribute: "Properties",
                  Name: "MessageRetentionPeriod",
                  RequiresRecreation: "Never",
                  BeforeValue: "3600",
                  AfterValue: "86400",
                },
                Evaluation: "Static",
                ChangeSource: "ParameterReference",
                CausingEntity: "RetentionSeconds",
              },
            ],
          },
        },
        {
          Type: "Resource",
          ResourceChange: {
            Action: "Modify",
            LogicalResourceId: "Worker",
            ResourceType: "AWS::Lambda::Function",
            Replacement: "Conditional",
          },
        },
        {
          Type: "Resource",
          ResourceChange: {
            Action: "Modify",
            LogicalResourceId: "WorkerRole",
            ResourceType: "AWS::IAM::Role",
            Replacement: "False",
          },
        },
        {
          Type: "Resource",
          ResourceChange: {
            Action: "Remove",
            LogicalResourceId: "Old",
            ResourceType: "AWS::SNS::Topic",
          },
        },
      ],
    };
    const code = await h.cli("diff", "queue", "--param", "RetentionSeconds=86400");
    expect(h.errors).toEqual([]);
    expect(code).toBe(0);
    const key = h.ws.expectedKey;
    expect(h.out.lines.map((l) => l.replace(key, "NEW-KEY"))).toEqual([
      "restyled-test-queue: 4 changes: 0 to add, 3 to modify, 1 to remove, 1 replaced, 1 may be replaced, 1 IAM",
      "Action  Logical ID  Type                   Replacement  Note",
      "------  ----------  ---------------------  -----------  -----------------",
      "Modify  Queue       AWS::SQS::Queue        True         !! REPLACED",
      "Modify  Worker      AWS::Lambda::Function  Conditional  ! may be replaced",
      "Modify  WorkerRole  AWS::IAM::Role         False        ! IAM",
      "Remove  Old         AWS::SNS::Topic        -",
      "",
      // Parameter values, old → new; the ones kept (AlarmEmail) are not shown.
      "Parameters",
      '  CodeBucket: "old-code" → "code"',
      '  WorkerCodeKey: "lambda/fixture-worker/old.zip" → "NEW-KEY"',
      '  RetentionSeconds: "3600" → "86400"',
      "",
      // Each modified resource's changed properties, with old and new values.
      "Resources",
      "[~] AWS::SQS::Queue Queue",
      " └─ [~] MessageRetentionPeriod",
      "     ├─ [-] 3600",
      "     └─ [+] 86400",
      "[~] AWS::Lambda::Function Worker",
      " ├─ [~] Code",
      " │   ├─ [~] .S3Bucket:",
      " │   │   ├─ [-] old-code",
      " │   │   └─ [+] code",
      " │   └─ [~] .S3Key:",
      " │       ├─ [-] lambda/fixture-worker/old.zip",
      " │       └─ [+] NEW-KEY",
      " └─ [~] Handler",
      "     ├─ [-] old.handler",
      "     └─ [+] index.handler",
    ]);
    const described = h.cfn.mock.commandCalls(DescribeChangeSetCommand).at(-1)?.args[0].input;
    expect(described?.IncludePropertyValues).toBe(true);
    expect(h.cfn.created[0]?.Parameters).toContainEqual({
      ParameterKey: "AlarmEmail",
      UsePreviousValue: true,
    });
    expect(h.cfn.mock.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(h.cfn.mock.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
    // A preview writes nothing to S3: the key is the hash, computed locally.
    expect(h.s3.commandCalls(HeadObjectCommand)).toEqual([]);
    expect(h.s3.commandCalls(PutObjectCommand)).toEqual([]);
  });

  it("prints no changes and exits 0 for an empty change set", async () => {
    h.cfn.addStack({ StackName: "restyled-test-plain", StackStatus: "CREATE_COMPLETE" });
    h.cfn.nextChangeSet = { failed: "No updates are to be performed." };
    expect(await h.cli("diff", "plain")).toBe(0);
    expect(h.out.lines).toEqual(["restyled-test-plain: no changes"]);
  });

  it("removes the REVIEW_IN_PROGRESS stack a preview of a new stack creates", async () => {
    h.cfn.nextChangeSet = {
      changes: [
        {
          Type: "Resource",
          ResourceChange: {
            Action: "Add",
            LogicalResourceId: "Topic",
            ResourceType: "AWS::SNS::Topic",
          },
        },
      ],
    };
    expect(await h.cli("diff", "plain")).toBe(0);
    expect(h.cfn.created[0]?.ChangeSetType).toBe("CREATE");
    expect(h.cfn.mock.commandCalls(DeleteStackCommand)).toHaveLength(1);
  });

  it("lists what a re-create makes for a ROLLBACK_COMPLETE stack, changing nothing", async () => {
    h.cfn.addStack({ StackName: "restyled-test-plain", StackStatus: "ROLLBACK_COMPLETE" });
    expect(await h.cli("diff", "plain")).toBe(0);
    expect(h.out.lines[0]).toBe(
      "restyled-test-plain is ROLLBACK_COMPLETE after a failed create: deploy deletes it, then creates these",
    );
    expect(h.out.lines.at(-1)).toMatch(/^Add\s+Topic\s+AWS::SNS::Topic$/);
    expect(h.cfn.created).toEqual([]);
    expect(h.cfn.mock.commandCalls(DeleteStackCommand)).toEqual([]);
  });

  it("reports a change set that fails for another reason, exit 1", async () => {
    h.cfn.addStack({ StackName: "restyled-test-plain", StackStatus: "CREATE_COMPLETE" });
    h.cfn.nextChangeSet = { failed: "Parameters: [Foo] must have values" };
    expect(await h.cli("diff", "plain")).toBe(1);
    expect(h.errors).toEqual([
      "restyled-stacks: change set for restyled-test-plain failed: Parameters: [Foo] must have values",
    ]);
  });
});

describe("outputs", () => {
  it("prints a table, or JSON with --json", async () => {
    h.cfn.addStack({
      StackName: "restyled-test-vpc",
      StackStatus: "CREATE_COMPLETE",
      Outputs: [{ OutputKey: "VpcId", OutputValue: "vpc-123", ExportName: "restyled-test-VpcId" }],
    });
    expect(await h.cli("outputs", "vpc")).toBe(0);
    expect(h.out.lines).toEqual([
      "Output  Value    Export",
      "------  -------  -------------------",
      "VpcId   vpc-123  restyled-test-VpcId",
    ]);
    h.out.lines.length = 0;
    expect(await h.cli("outputs", "vpc", "--json")).toBe(0);
    expect(JSON.parse(h.out.text())).toEqual({ VpcId: "vpc-123" });
  });

  it("exits 1 for a stack that does not exist", async () => {
    expect(await h.cli("outputs", "vpc")).toBe(1);
    expect(h.errors).toEqual(["restyled-stacks: restyled-test-vpc does not exist"]);
  });
});

describe("delete", () => {
  it("is a no-op for a stack that does not exist", async () => {
    expect(await h.cli("delete", "plain")).toBe(0);
    expect(h.out.lines).toEqual(["restyled-test-plain does not exist; nothing to delete"]);
    expect(h.cfn.mock.commandCalls(DeleteStackCommand)).toEqual([]);
  });

  it("deletes nothing when declined or with --dry-run", async () => {
    h.cfn.addStack({ StackName: "restyled-test-plain", StackStatus: "CREATE_COMPLETE" });
    expect(await h.cli("delete", "plain", "--dry-run")).toBe(0);
    expect(h.out.text()).toMatch(/Remove\s+Queue\s+AWS::SQS::Queue\s+https:\/\/sqs\/queue/);
    h.answer = false;
    expect(await h.cli("delete", "plain")).toBe(1);
    expect(h.errors).toEqual([
      "restyled-stacks: delete of restyled-test-plain cancelled; nothing was changed",
    ]);
    expect(h.cfn.mock.commandCalls(DeleteStackCommand)).toEqual([]);
    expect(h.cfn.stacks.get("restyled-test-plain")?.StackStatus).toBe("CREATE_COMPLETE");
  });

  it("deletes the stack with --yes and streams its events to DELETE_COMPLETE", async () => {
    const stack = h.cfn.addStack({
      StackName: "restyled-test-plain",
      StackStatus: "CREATE_COMPLETE",
    });
    expect(await h.cli("delete", "plain", "--yes")).toBe(0);
    expect(h.cfn.mock.commandCalls(DeleteStackCommand)[0]?.args[0].input.StackName).toBe(
      stack.StackId,
    );
    expect(h.out.text()).toMatch(/DELETE_IN_PROGRESS\s+restyled-test-plain/);
    expect(h.out.lines.at(-1)).toBe("restyled-test-plain: DELETE_COMPLETE");
  });
});
