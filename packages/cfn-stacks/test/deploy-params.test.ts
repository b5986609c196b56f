import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CreateChangeSetCommand } from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import { addChanges, existingQueueStack } from "./deploy-fixtures.js";
import { useHarness } from "./harness.js";

// Stand-ins: CloudFormation (stateful fake over aws-sdk-client-mock) and S3.
// The templates and parameter files are real files in a throw-away workspace.
const h = useHarness();

async function paramFile(name: string, content: string) {
  await mkdir(join(h.ws.stacksDir, "params"), { recursive: true });
  await writeFile(join(h.ws.stacksDir, "params", name), content);
}

describe("per-environment parameter files", () => {
  it("reads stacks/params/ENV.json when present, flags winning over it", async () => {
    await paramFile(
      "test.json",
      JSON.stringify({ queue: { AlarmEmail: "file", RetentionSeconds: 60 } }),
    );
    h.cfn.nextChangeSet = { changes: addChanges };
    h.cfn.nextExecution = { steps: [], final: "CREATE_COMPLETE" };
    const code = await h.cli(
      "deploy",
      "queue",
      "--env",
      "test",
      "--yes",
      "--code-bucket",
      "b",
      "--param",
      "RetentionSeconds=120",
    );
    expect(h.errors).toEqual([]);
    expect(code).toBe(0);
    expect(h.cfn.created[0]?.Parameters).toEqual(
      expect.arrayContaining([
        { ParameterKey: "AlarmEmail", ParameterValue: "file" },
        { ParameterKey: "RetentionSeconds", ParameterValue: "120" },
      ]),
    );
  });

  it("ignores another environment's file", async () => {
    await paramFile("prod.json", JSON.stringify({ queue: { AlarmEmail: "prod-only" } }));
    const code = await h.cli("deploy", "queue", "--env", "test", "--yes", "--code-bucket", "b");
    expect(code).toBe(78);
    expect(h.errors).toEqual([
      "restyled-stacks: no value for AlarmEmail: pass --param AlarmEmail=VALUE",
    ]);
  });

  it.each([
    ["{not json", /^restyled-stacks: stacks\/params\/test\.json: not JSON \(/],
    ['["queue"]', /^restyled-stacks: stacks\/params\/test\.json: expected an object of stacks/],
    [
      '{"queue": "x"}',
      /^restyled-stacks: stacks\/params\/test\.json: queue must be an object of parameter values$/,
    ],
    [
      '{"queue": {"AlarmEmail": {"a": 1}}}',
      /^restyled-stacks: stacks\/params\/test\.json: queue\.AlarmEmail: expected a string, number, boolean or list of strings$/,
    ],
    [
      '{"queue": {"Environment": "prod"}}',
      /^restyled-stacks: stacks\/params\/test\.json: queue\.Environment comes from --env, not the file$/,
    ],
    [
      '{"queue": {"AlarmEmial": "x"}}',
      /^restyled-stacks: stacks\/params\/test\.json: queue\.AlarmEmial: the template has no such parameter \(did you mean AlarmEmail\?\)$/,
    ],
  ])("refuses %s before any AWS call (exit 78)", async (content, message) => {
    await paramFile("test.json", content);
    const code = await h.cli("deploy", "queue", "--env", "test", "--yes", "--code-bucket", "b");
    expect(code).toBe(78);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]).toMatch(message);
    expect(h.cfn.mock.calls()).toEqual([]);
  });

  it("requires a --params-file that is named", async () => {
    const code = await h.cli("diff", "plain", "--env", "test", "--params-file", "missing.json");
    expect(code).toBe(78);
    expect(h.errors).toEqual(["restyled-stacks: cannot read the parameter file missing.json"]);
    expect(h.cfn.mock.calls()).toEqual([]);
  });
});

describe("an export another stack still imports", () => {
  it("stops the deploy before any change, naming the importing stack", async () => {
    const stack = existingQueueStack(h);
    stack.Outputs = [
      { OutputKey: "QueueUrl", OutputValue: "https://q", ExportName: "fixture-test-QueueUrl" },
      { OutputKey: "OldArn", OutputValue: "arn:old", ExportName: "fixture-test-OldArn" },
    ];
    h.more.imports.set("fixture-test-OldArn", ["restyled-test-consumer"]);
    const code = await h.cli("deploy", "queue", "--env", "test", "--yes", "--skip-build");
    expect(code).toBe(1);
    expect(h.errors).toEqual([
      "restyled-stacks: restyled-test-queue: this change removes the export fixture-test-OldArn, which restyled-test-consumer still imports; change that stack first",
    ]);
    expect(h.cfn.mock.commandCalls(CreateChangeSetCommand)).toEqual([]);
  });

  it("lets an export nobody imports go", async () => {
    const stack = existingQueueStack(h);
    stack.Outputs = [
      { OutputKey: "OldArn", OutputValue: "arn:old", ExportName: "fixture-test-OldArn" },
    ];
    h.cfn.nextChangeSet = { changes: addChanges.slice(0, 1) };
    h.cfn.nextExecution = { steps: [], final: "UPDATE_COMPLETE" };
    const code = await h.cli("deploy", "queue", "--env", "test", "--yes", "--skip-build");
    expect(h.errors).toEqual([]);
    expect(code).toBe(0);
  });
});
