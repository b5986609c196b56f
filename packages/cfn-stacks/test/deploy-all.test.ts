import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateChangeSetCommand, ExecuteChangeSetCommand } from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import { addChanges } from "./deploy-fixtures.js";
import { useHarness } from "./harness.js";

// Stand-ins: CloudFormation (stateful fake over aws-sdk-client-mock) and S3.
// The templates and the parameter file are real files in a throw-away workspace.
const h = useHarness();

const moreStacks = fileURLToPath(new URL("./fixtures/deploy-all", import.meta.url));

/** The fixture workspace without its broken template, plus two stacks: app imports zone. */
async function twoMoreStacks() {
  await rm(join(h.ws.stacksDir, "broken.yaml"));
  await cp(moreStacks, h.ws.stacksDir, { recursive: true });
}

async function paramFile(content: unknown) {
  await mkdir(join(h.ws.stacksDir, "params"), { recursive: true });
  await writeFile(join(h.ws.stacksDir, "params", "test.json"), JSON.stringify(content));
}

const stacksDeployed = () =>
  h.cfn.mock.commandCalls(CreateChangeSetCommand).map((c) => c.args[0].input.StackName);

describe("deploy --all", () => {
  it("deploys every stack after the stacks it imports from, with the parameter file's values", async () => {
    await twoMoreStacks();
    await paramFile({ queue: { AlarmEmail: "ops", RetentionSeconds: 60 } });
    h.cfn.nextChangeSet = { changes: addChanges.slice(0, 1) };
    h.cfn.nextExecution = { steps: [], final: "CREATE_COMPLETE" };
    const code = await h.cli("deploy", "--all", "--env", "test", "--yes", "--code-bucket", "b");
    expect(h.errors).toEqual([]);
    expect(code).toBe(0);
    // app imports zone's export, so zone comes first although app sorts first.
    expect(stacksDeployed()).toEqual([
      "restyled-test-plain",
      "restyled-test-queue",
      "restyled-test-zone",
      "restyled-test-app",
    ]);
    expect(h.out.lines[0]).toBe(
      "deploying restyled-test-plain, restyled-test-queue, restyled-test-zone, restyled-test-app in this order",
    );
    expect(h.cfn.mock.commandCalls(ExecuteChangeSetCommand)).toHaveLength(4);
    const queue = h.cfn.created.find((c) => c.StackName === "restyled-test-queue");
    expect(queue?.Parameters).toEqual(
      expect.arrayContaining([
        { ParameterKey: "AlarmEmail", ParameterValue: "ops" },
        { ParameterKey: "RetentionSeconds", ParameterValue: "60" },
      ]),
    );
  });

  it("then refuses to rename an export the deployed app imports, naming restyled-test-app", async () => {
    await twoMoreStacks();
    await paramFile({ queue: { AlarmEmail: "ops" } });
    h.cfn.nextChangeSet = { changes: addChanges.slice(0, 1) };
    h.cfn.nextExecution = { steps: [], final: "CREATE_COMPLETE" };
    expect(await h.cli("deploy", "--all", "--env", "test", "--yes", "--code-bucket", "b")).toBe(0);
    // app.yaml leaves this checkout (validate would refuse the import otherwise),
    // but restyled-test-app is still deployed; then zone renames its export.
    await rm(join(h.ws.stacksDir, "app.yaml"));
    const zone = join(h.ws.stacksDir, "zone.yaml");
    const text = await readFile(zone, "utf8");
    await writeFile(zone, text.replace("-TopicArn", "-TopicArnV2"));
    const before = h.cfn.created.length;
    expect(await h.cli("deploy", "zone", "--env", "test", "--yes")).toBe(1);
    expect(h.errors).toEqual([
      "restyled-stacks: restyled-test-zone: this change removes the export fixture-test-TopicArn, which restyled-test-app still imports; change that stack first",
    ]);
    expect(h.cfn.created).toHaveLength(before);
  });

  it("stops at the first stack that fails and says which were not tried", async () => {
    await twoMoreStacks();
    await paramFile({ queue: { AlarmEmail: "ops" } });
    h.cfn.addStack({ StackName: "restyled-test-queue", StackStatus: "UPDATE_IN_PROGRESS" });
    h.cfn.nextChangeSet = { changes: addChanges.slice(0, 1) };
    h.cfn.nextExecution = { steps: [], final: "CREATE_COMPLETE" };
    const code = await h.cli("deploy", "--all", "--env", "test", "--yes", "--code-bucket", "b");
    expect(code).toBe(1);
    expect(h.errors).toEqual([
      "restyled-stacks: restyled-test-queue is busy (UPDATE_IN_PROGRESS); wait for it to finish",
    ]);
    expect(stacksDeployed()).toEqual(["restyled-test-plain"]);
    expect(h.out.lines.at(-1)).toBe("stopped at queue: deployed plain; not tried zone, app");
  });

  it("refuses a misspelt parameter in the file before any AWS call, naming file, stack and key", async () => {
    await twoMoreStacks();
    await paramFile({ queue: { AlarmEmial: "ops" } });
    const code = await h.cli("deploy", "--all", "--env", "test", "--yes");
    expect(code).toBe(78);
    expect(h.errors).toEqual([
      "restyled-stacks: stacks/params/test.json: queue.AlarmEmial: the template has no such parameter (did you mean AlarmEmail?)",
    ]);
    expect(h.cfn.mock.calls()).toEqual([]);
  });

  it("refuses a stack the file names that has no template, and a stack name with --all", async () => {
    await twoMoreStacks();
    await paramFile({ queues: { AlarmEmail: "ops" } });
    expect(await h.cli("deploy", "--all", "--env", "test", "--yes")).toBe(78);
    expect(h.errors[0]).toBe(
      "restyled-stacks: stacks/params/test.json: no stack named queues (the stacks are app, plain, queue, zone)",
    );
    expect(await h.cli("deploy", "queue", "--all", "--env", "test")).toBe(64);
    expect(h.errors[1]).toBe("restyled-stacks: deploy --all takes no stack name");
    expect(h.cfn.mock.calls()).toEqual([]);
  });

  it("refuses a --param no stack declares before any AWS call", async () => {
    await twoMoreStacks();
    const code = await h.cli("deploy", "--all", "--env", "test", "--param", "AlarmEmial=x");
    expect(code).toBe(64);
    expect(h.errors).toEqual([
      "restyled-stacks: --param AlarmEmial: the template has no such parameter (did you mean AlarmEmail?)",
    ]);
    expect(h.cfn.mock.calls()).toEqual([]);
  });
});
