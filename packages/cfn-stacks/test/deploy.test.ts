import {
  DeleteChangeSetCommand,
  DeleteStackCommand,
  ExecuteChangeSetCommand,
} from "@aws-sdk/client-cloudformation";
import {
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../src/cli.js";
import { silentLogger } from "../src/logger.js";
import { captureOutput } from "../src/output.js";
import { type FakeCloudFormation, fakeCloudFormation } from "./fake-cloudformation.js";
import { type FixtureWorkspace, makeWorkspace } from "./workspace.js";

// Stand-ins: CloudFormation (a stateful fake over aws-sdk-client-mock) and S3
// (aws-sdk-client-mock). The templates, the workspace and the zips are real files.
let cfn: FakeCloudFormation;
const s3 = mockClient(S3Client);
let ws: FixtureWorkspace;
let out: ReturnType<typeof captureOutput>;
let errors: string[];
let questions: string[];
let answer: boolean;
let builds: Array<{ command: string; args: string[]; cwd: string }>;

const notFound = () =>
  new S3ServiceException({
    name: "NotFound",
    $fault: "client",
    $metadata: { httpStatusCode: 404 },
  });

beforeEach(async () => {
  cfn = fakeCloudFormation();
  s3.reset();
  s3.on(HeadObjectCommand).rejects(notFound());
  s3.on(PutObjectCommand).resolves({});
  ws = await makeWorkspace();
  out = captureOutput();
  errors = [];
  questions = [];
  answer = true;
  builds = [];
});

afterEach(async () => {
  cfn.mock.restore();
  await ws.cleanup();
});

function cli(...argv: string[]) {
  return runCli([...argv, "--stacks-dir", ws.stacksDir], {
    out,
    logger: silentLogger,
    printError: (line) => errors.push(line),
    confirm: async (question) => {
      questions.push(question);
      return answer;
    },
    sleep: async () => {},
    now: () => new Date("2026-11-25T15:04:05Z"),
    run: async (command, args, cwd) => {
      builds.push({ command, args, cwd });
    },
    env: {},
    cwd: ws.root,
  });
}

const createdQueueSteps = [
  { logicalId: "Queue", type: "AWS::SQS::Queue", status: "CREATE_IN_PROGRESS" },
  { logicalId: "WorkerRole", type: "AWS::IAM::Role", status: "CREATE_IN_PROGRESS" },
  { logicalId: "Queue", type: "AWS::SQS::Queue", status: "CREATE_COMPLETE" },
  { logicalId: "WorkerRole", type: "AWS::IAM::Role", status: "CREATE_COMPLETE" },
  { logicalId: "Worker", type: "AWS::Lambda::Function", status: "CREATE_COMPLETE" },
];

const addChanges = [
  {
    Type: "Resource" as const,
    ResourceChange: {
      Action: "Add" as const,
      LogicalResourceId: "Queue",
      ResourceType: "AWS::SQS::Queue",
    },
  },
  {
    Type: "Resource" as const,
    ResourceChange: {
      Action: "Add" as const,
      LogicalResourceId: "WorkerRole",
      ResourceType: "AWS::IAM::Role",
    },
  },
  {
    Type: "Resource" as const,
    ResourceChange: {
      Action: "Add" as const,
      LogicalResourceId: "Worker",
      ResourceType: "AWS::Lambda::Function",
    },
  },
];

function existingQueueStack(status = "UPDATE_COMPLETE") {
  return cfn.addStack({
    StackName: "restyled-test-queue",
    StackStatus: status,
    Parameters: [
      { ParameterKey: "Environment", ParameterValue: "test" },
      { ParameterKey: "CodeBucket", ParameterValue: "old-bucket" },
      { ParameterKey: "WorkerCodeKey", ParameterValue: "lambda/fixture-worker/old.zip" },
      { ParameterKey: "RetentionSeconds", ParameterValue: "3600" },
      { ParameterKey: "AlarmEmail", ParameterValue: "ops" },
    ],
  });
}

describe("deploy a new stack", () => {
  it("builds and uploads the Lambda code, creates the stack and prints events and outputs", async () => {
    cfn.nextChangeSet = { changes: addChanges };
    cfn.nextExecution = { steps: createdQueueSteps, final: "CREATE_COMPLETE" };
    cfn.outputsAfter = [
      { OutputKey: "QueueUrl", OutputValue: "https://sqs/q", ExportName: "fixture-test-QueueUrl" },
    ];

    const code = await cli(
      "deploy",
      "queue",
      "--env",
      "test",
      "--code-bucket",
      "code",
      "--param",
      "AlarmEmail=ops",
    );

    expect(errors).toEqual([]);
    expect(code).toBe(0);
    expect(builds).toEqual([
      {
        command: "pnpm",
        args: ["--filter", "@restyled/fixture-worker...", "run", "build"],
        cwd: ws.root,
      },
    ]);
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put?.Bucket).toBe("code");
    expect(put?.Key).toBe(ws.expectedKey);
    expect(Buffer.from(put?.Body as Uint8Array).equals(ws.zip)).toBe(true);

    const [request] = cfn.created;
    expect(request?.ChangeSetType).toBe("CREATE");
    expect(request?.StackName).toBe("restyled-test-queue");
    expect(request?.Capabilities).toEqual(["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]);
    // RetentionSeconds is not named and has a default: left out, so the default applies.
    expect(request?.Parameters).toEqual([
      { ParameterKey: "Environment", ParameterValue: "test" },
      { ParameterKey: "CodeBucket", ParameterValue: "code" },
      { ParameterKey: "WorkerCodeKey", ParameterValue: ws.expectedKey },
      { ParameterKey: "AlarmEmail", ParameterValue: "ops" },
    ]);
    expect(questions).toEqual(["Deploy these changes to restyled-test-queue?"]);
    expect(cfn.mock.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);

    const text = out.text();
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
    const eventLines = out.lines.filter((l) => /^\[\d\/3\]/.test(l));
    expect(eventLines).toHaveLength(7);
  });

  it("refuses a new stack whose required parameter has no value, before any AWS call", async () => {
    const code = await cli(
      "deploy",
      "queue",
      "--env",
      "test",
      "--code-bucket",
      "code",
      "--skip-build",
    );
    expect(code).toBe(78);
    expect(errors).toEqual(["error: no value for AlarmEmail: pass --param AlarmEmail=VALUE"]);
    expect(cfn.created).toEqual([]);
  });

  it("asks for a code bucket when a stack has Lambda code and none is known", async () => {
    const code = await cli("deploy", "queue", "--env", "test", "--param", "AlarmEmail=ops");
    expect(code).toBe(78);
    expect(errors[0]).toMatch(/queue has Lambda code: pass --code-bucket BUCKET/);
    expect(builds).toEqual([]);
    expect(cfn.created).toEqual([]);
  });

  it("names the missing zip when --skip-build finds no build", async () => {
    const { rm } = await import("node:fs/promises");
    await rm(`${ws.root}/packages/fixture-worker/dist/lambda.zip`);
    const code = await cli(
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
    expect(errors[0]).toMatch(
      /fixture-worker\/dist\/lambda.zip is missing; build @restyled\/fixture-worker first/,
    );
    expect(s3.commandCalls(PutObjectCommand)).toEqual([]);
    expect(cfn.created).toEqual([]);
  });

  it("leaves nothing behind when the operator declines", async () => {
    cfn.nextChangeSet = { changes: addChanges };
    answer = false;
    const code = await cli("deploy", "plain", "--env", "test");
    expect(code).toBe(1);
    expect(errors).toEqual(["deploy of restyled-test-plain cancelled; nothing was changed"]);
    expect(cfn.mock.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
    expect(cfn.mock.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    // The REVIEW_IN_PROGRESS stack the CREATE change set made is removed too.
    expect(cfn.mock.commandCalls(DeleteStackCommand)).toHaveLength(1);
    expect(cfn.changeSets.size).toBe(0);
  });

  it("deletes a stack stuck in ROLLBACK_COMPLETE and creates it again", async () => {
    const old = cfn.addStack({
      StackName: "restyled-test-plain",
      StackStatus: "ROLLBACK_COMPLETE",
    });
    cfn.nextChangeSet = { changes: addChanges.slice(0, 1) };
    cfn.nextExecution = { steps: [], final: "CREATE_COMPLETE" };
    const code = await cli("deploy", "plain", "--env", "test", "--yes");
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    expect(questions).toEqual([]);
    const deletes = cfn.mock.commandCalls(DeleteStackCommand).map((c) => c.args[0].input.StackName);
    expect(deletes).toEqual([old.StackId]);
    expect(old.StackStatus).toBe("DELETE_COMPLETE");
    expect(cfn.created[0]?.ChangeSetType).toBe("CREATE");
    expect(out.text()).toContain(
      "restyled-test-plain is ROLLBACK_COMPLETE after a failed create; deleting it before retrying",
    );
    expect(out.text()).toMatch(/DELETE_COMPLETE\s+restyled-test-plain/);
  });
});

describe("deploy an existing stack", () => {
  it("keeps the parameters not named and reuses the stack's code bucket", async () => {
    existingQueueStack();
    s3.on(HeadObjectCommand).resolves({});
    cfn.nextChangeSet = {
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
    cfn.nextExecution = {
      steps: [{ logicalId: "Worker", type: "AWS::Lambda::Function", status: "UPDATE_COMPLETE" }],
      final: "UPDATE_COMPLETE",
    };
    const code = await cli(
      "deploy",
      "queue",
      "--env",
      "test",
      "--yes",
      "--param",
      "RetentionSeconds=600",
      "--skip-build",
    );
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    expect(cfn.created[0]?.ChangeSetType).toBe("UPDATE");
    expect(cfn.created[0]?.Parameters).toEqual([
      { ParameterKey: "Environment", ParameterValue: "test" },
      { ParameterKey: "CodeBucket", ParameterValue: "old-bucket" },
      { ParameterKey: "WorkerCodeKey", ParameterValue: ws.expectedKey },
      { ParameterKey: "RetentionSeconds", ParameterValue: "600" },
      { ParameterKey: "AlarmEmail", UsePreviousValue: true },
    ]);
    // The same code is already in the bucket under its hash: nothing uploaded.
    expect(s3.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: "old-bucket",
      Key: ws.expectedKey,
    });
    expect(s3.commandCalls(PutObjectCommand)).toEqual([]);
    expect(cfn.stacks.get("restyled-test-queue")?.Parameters).toContainEqual({
      ParameterKey: "AlarmEmail",
      ParameterValue: "ops",
    });
  });

  it("prints no changes, exits 0 and deletes the empty change set", async () => {
    cfn.addStack({
      StackName: "restyled-test-plain",
      StackStatus: "UPDATE_COMPLETE",
      Parameters: [{ ParameterKey: "Environment", ParameterValue: "test" }],
    });
    cfn.nextChangeSet = {
      failed:
        "The submitted information didn't contain changes. Submit different information to create a change set.",
    };
    const code = await cli("deploy", "plain", "--env", "test");
    expect(code).toBe(0);
    expect(out.lines).toEqual(["restyled-test-plain: no changes"]);
    expect(questions).toEqual([]);
    expect(cfn.mock.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
    expect(cfn.changeSets.size).toBe(0);
  });

  it("prints the failed resources' reasons and exits 1 when the update rolls back", async () => {
    cfn.addStack({
      StackName: "restyled-test-plain",
      StackStatus: "UPDATE_COMPLETE",
      Parameters: [{ ParameterKey: "Environment", ParameterValue: "test" }],
    });
    cfn.nextChangeSet = { changes: addChanges.slice(0, 2) };
    cfn.nextExecution = {
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
    const code = await cli("deploy", "plain", "--env", "test", "--yes");
    expect(code).toBe(1);
    expect(errors).toEqual([
      "error: deploy of restyled-test-plain failed: UPDATE_ROLLBACK_COMPLETE",
    ]);
    const text = out.text();
    expect(text).toContain("restyled-test-plain ended UPDATE_ROLLBACK_COMPLETE; what failed:");
    expect(text).toContain(
      '  Queue (AWS::SQS::Queue): Resource handler returned message: "Access denied"',
    );
    expect(text).not.toContain("  WorkerRole (AWS::IAM::Role): Resource creation cancelled");
  });

  it("says the next deploy retries when a create rolls back", async () => {
    cfn.nextChangeSet = { changes: addChanges.slice(0, 1) };
    cfn.nextExecution = {
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
    const code = await cli("deploy", "plain", "--env", "test", "--yes");
    expect(code).toBe(1);
    expect(errors[0]).toBe(
      "error: deploy of restyled-test-plain failed: ROLLBACK_COMPLETE (the next deploy deletes the rolled-back stack and retries)",
    );
    expect(out.text()).toContain("  Topic (AWS::SNS::Topic): Topic already exists");
  });

  it("refuses to touch a stack that is busy", async () => {
    cfn.addStack({ StackName: "restyled-test-plain", StackStatus: "UPDATE_IN_PROGRESS" });
    const code = await cli("deploy", "plain", "--env", "test", "--yes");
    expect(code).toBe(1);
    expect(errors).toEqual([
      "error: restyled-test-plain is busy (UPDATE_IN_PROGRESS); wait for it to finish",
    ]);
    expect(cfn.created).toEqual([]);
  });

  it("with --dry-run shows the change set, uploads nothing and removes it", async () => {
    existingQueueStack();
    cfn.nextChangeSet = { changes: addChanges.slice(0, 1) };
    const code = await cli("deploy", "queue", "--env", "test", "--dry-run", "--skip-build");
    expect(code).toBe(0);
    expect(s3.commandCalls(HeadObjectCommand)).toEqual([]);
    expect(s3.commandCalls(PutObjectCommand)).toEqual([]);
    expect(cfn.mock.commandCalls(ExecuteChangeSetCommand)).toEqual([]);
    expect(cfn.changeSets.size).toBe(0);
  });
});

describe("deploy input errors", () => {
  it("rejects an invalid template before any AWS call, naming file and line", async () => {
    const code = await cli("deploy", "broken", "--env", "test", "--yes");
    expect(code).toBe(1);
    expect(out.lines).toEqual(["stacks/broken.yaml:8: Sub Missing: no such parameter or resource"]);
    expect(errors).toEqual(["error: broken: 1 problem(s) in the template; fix them first"]);
    expect(cfn.mock.calls()).toEqual([]);
  });

  it.each([
    [["deploy", "plain"], 64, "deploy needs --env ENV (or RESTYLED_ENV)"],
    [
      ["deploy", "plain", "--env", "Prod"],
      64,
      "--env Prod: use lower-case letters, digits and dashes",
    ],
    [["deploy", "--env", "test"], 64, "deploy takes exactly one stack name"],
    [
      ["deploy", "plain", "--env", "test", "--param", "Nope=1"],
      64,
      "--param Nope: the template has no such parameter (it has Environment)",
    ],
    [
      ["deploy", "plain", "--env", "test", "--param", "novalue"],
      64,
      "--param novalue: expected KEY=VALUE with an alphanumeric KEY",
    ],
    [
      ["deploy", "plain", "--env", "test", "--param", "Environment=x"],
      64,
      "set the environment with --env, not --param Environment=…",
    ],
    [["deploy", "plain", "--env", "test", "--bogus"], 64, "Unknown option '--bogus'"],
    [["frobnicate"], 64, "unknown command frobnicate; see --help"],
  ])("%j exits %i: %s", async (argv, status, message) => {
    const code = await cli(...(argv as string[]));
    expect(code).toBe(status);
    expect(errors[0]).toContain(message);
    expect(cfn.created).toEqual([]);
  });
});
