import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { silentLogger } from "@restyled/core/logger";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../src/cli.js";
import { ConfigError } from "../src/errors.js";
import { readInstalledArtifacts } from "../src/lambda-code.js";
import { captureOutput } from "../src/output.js";
import { resolveStacksDir } from "../src/workspace.js";
import { addChanges } from "./deploy-fixtures.js";
import { type FakeCloudFormation, fakeCloudFormation } from "./fake-cloudformation.js";

// The published package, used where there is no checkout: an npm install
// tree in a temporary directory (real files), its templates in the package,
// the Lambda zips of the installed, pinned packages.
// Stand-ins: CloudFormation (stateful fake) and S3 (aws-sdk-client-mock).
const fixtureStacks = fileURLToPath(new URL("./fixtures/workspace/stacks", import.meta.url));

let dir: string;
let installed: string;
let zip: Buffer;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cfn-stacks-published-"));
  // node_modules/@restyled/cfn-stacks/dist (the tool) and, next to it, the Lambda package.
  installed = join(dir, "node_modules", "@restyled", "cfn-stacks", "dist");
  await mkdir(installed, { recursive: true });
  await cp(fixtureStacks, join(installed, "stacks"), { recursive: true });
  await rm(join(installed, "stacks", "broken.yaml"));
  const worker = join(dir, "node_modules", "@restyled", "fixture-worker");
  await mkdir(join(worker, "dist"), { recursive: true });
  await writeFile(
    join(worker, "package.json"),
    JSON.stringify({ name: "@restyled/fixture-worker", version: "1.2.3" }),
  );
  zip = Buffer.from("PK\u0003\u0004 published fixture handler 1.2.3");
  await writeFile(join(worker, "dist", "lambda.zip"), zip);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const pinned = { "@restyled/fixture-worker": "1.2.3" };
const code = [{ parameter: "WorkerCodeKey", packageName: "@restyled/fixture-worker" }];

describe("the templates", () => {
  it("are the ones the package ships when there is no workspace above", () => {
    const project = join(dir, "ops-repo");
    expect(resolveStacksDir({ cwd: project, bundled: join(installed, "stacks") })).toBe(
      join(installed, "stacks"),
    );
  });

  it("say what to pass when there are none at all", () => {
    expect(() => resolveStacksDir({ cwd: dir, bundled: join(dir, "nowhere") })).toThrow(
      new ConfigError(
        "no stacks/ directory found above the current directory, and this build ships none; pass --stacks-dir DIR",
      ),
    );
  });
});

describe("Lambda code without a workspace", () => {
  it("is the installed package's dist/lambda.zip at the pinned version", async () => {
    const [artifact] = await readInstalledArtifacts({ source: { from: installed, pinned }, code });
    const hash = createHash("sha256").update(zip).digest("hex");
    expect(artifact?.key).toBe(`lambda/fixture-worker/${hash}.zip`);
    expect(artifact?.body.equals(zip)).toBe(true);
  });

  it.each([
    [
      { "@restyled/fixture-worker": "1.2.4" },
      "WorkerCodeKey: found @restyled/fixture-worker@1.2.3 but this release deploys 1.2.4; reinstall @restyled/cfn-stacks",
    ],
    [
      {},
      "WorkerCodeKey: this @restyled/cfn-stacks does not pin @restyled/fixture-worker; deploy from a checkout of the repository",
    ],
  ])("refuses another version or an unpinned package (%j)", async (pins, message) => {
    await expect(
      readInstalledArtifacts({ source: { from: installed, pinned: pins }, code }),
    ).rejects.toThrow(new ConfigError(message));
  });

  it("names a package that is not installed", async () => {
    await rm(join(dir, "node_modules", "@restyled", "fixture-worker"), { recursive: true });
    await expect(
      readInstalledArtifacts({ source: { from: installed, pinned }, code }),
    ).rejects.toThrow(
      "WorkerCodeKey: @restyled/fixture-worker@1.2.3 is not installed next to @restyled/cfn-stacks; reinstall it",
    );
  });
});

describe("deploy from the published package", () => {
  let cfn: FakeCloudFormation;
  const s3 = mockClient(S3Client);
  beforeEach(() => {
    cfn = fakeCloudFormation();
    s3.reset();
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({
        name: "NotFound",
        $fault: "client",
        $metadata: { httpStatusCode: 404 },
      }),
    );
    s3.on(PutObjectCommand).resolves({});
  });
  afterEach(() => cfn.mock.restore());

  it("deploys its own templates and uploads the installed zip, building nothing", async () => {
    cfn.nextChangeSet = { changes: addChanges };
    cfn.nextExecution = { steps: [], final: "CREATE_COMPLETE" };
    const out = captureOutput();
    const errors: string[] = [];
    const builds: string[] = [];
    const project = join(dir, "ops-repo");
    await mkdir(project);
    const status = await runCli(
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
      {
        out,
        logger: silentLogger(),
        printError: (line) => errors.push(line),
        confirm: async () => true,
        sleep: async () => {},
        run: async (command) => {
          builds.push(command);
        },
        cwd: project,
        env: {},
        bundledStacks: join(installed, "stacks"),
        lambdaSource: { from: installed, pinned },
        waiterDelays: { minDelay: 0.001, maxDelay: 0.002, maxWaitTime: 60 },
      },
    );
    expect(errors).toEqual([]);
    expect(status).toBe(0);
    expect(builds).toEqual([]);
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(Buffer.from(put?.Body as Uint8Array).equals(zip)).toBe(true);
    // The template deployed is the shipped one, byte for byte.
    const shipped = await readFile(join(installed, "stacks", "queue.yaml"), "utf8");
    expect(cfn.created[0]?.TemplateBody).toBe(shipped);
  });
});
