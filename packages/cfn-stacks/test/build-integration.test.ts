import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { runCommand } from "../src/lambda-code.js";
import { useHarness } from "./harness.js";

// Real: pnpm runs the fixture package's build in a throw-away workspace.
// Stand-ins: CloudFormation (stateful fake) and S3 (aws-sdk-client-mock).
const h = useHarness();

describe("deploy builds the Lambda packages with pnpm", () => {
  it("uploads the zip the package's build script just wrote", async () => {
    const pkg = join(h.ws.root, "packages", "fixture-worker");
    await rm(join(pkg, "dist"), { recursive: true });
    await writeFile(
      join(pkg, "build.cjs"),
      'const fs = require("fs"); fs.mkdirSync("dist"); fs.writeFileSync("dist/lambda.zip", "built by pnpm " + process.cwd());\n',
    );
    await writeFile(
      join(pkg, "package.json"),
      JSON.stringify({
        name: "@restyled/fixture-worker",
        version: "0.0.0",
        scripts: { build: "node build.cjs" },
      }),
    );
    h.run = runCommand;
    h.cfn.nextChangeSet = {
      changes: [
        {
          Type: "Resource",
          ResourceChange: {
            Action: "Add",
            LogicalResourceId: "Queue",
            ResourceType: "AWS::SQS::Queue",
          },
        },
      ],
    };
    h.cfn.nextExecution = { steps: [], final: "CREATE_COMPLETE" };

    const code = await h.cli(
      "deploy",
      "queue",
      "--env",
      "test",
      "--code-bucket",
      "b",
      "--param",
      "AlarmEmail=x",
      "--yes",
    );

    expect(h.errors).toEqual([]);
    expect(code).toBe(0);
    const built = await readFile(join(pkg, "dist", "lambda.zip"));
    expect(built.toString()).toBe(`built by pnpm ${pkg}`);
    const put = h.s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(Buffer.from(put?.Body as Uint8Array).equals(built)).toBe(true);
    const key = h.cfn.created[0]?.Parameters?.find((p) => p.ParameterKey === "WorkerCodeKey");
    expect(key?.ParameterValue).toBe(put?.Key);
  });

  it("stops before any change when the build fails", async () => {
    const pkg = join(h.ws.root, "packages", "fixture-worker");
    await writeFile(
      join(pkg, "package.json"),
      JSON.stringify({
        name: "@restyled/fixture-worker",
        version: "0.0.0",
        scripts: { build: 'node -e "process.exit(2)"' },
      }),
    );
    h.run = runCommand;
    const code = await h.cli(
      "deploy",
      "queue",
      "--env",
      "test",
      "--code-bucket",
      "b",
      "--param",
      "AlarmEmail=x",
      "--yes",
    );
    expect(code).toBe(1);
    expect(h.errors[0]).toMatch(
      /^restyled-stacks: pnpm --filter @restyled\/fixture-worker\.\.\. run build failed/,
    );
    expect(h.cfn.created).toEqual([]);
    expect(h.s3.commandCalls(PutObjectCommand)).toEqual([]);
  });
});
