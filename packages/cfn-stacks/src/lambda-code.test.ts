import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { silentLogger } from "@restyled/core/logger";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LambdaCodeError } from "./errors.js";
import { type LambdaArtifact, runCommand, uploadLambdaArtifacts } from "./lambda-code.js";

// Stand-in: S3 through aws-sdk-client-mock.
const s3 = mockClient(S3Client);
const artifact: LambdaArtifact = {
  parameter: "AutoscaleCodeKey",
  packageName: "@restyled/autoscale",
  zipPath: "dist/lambda.zip",
  key: "lambda/autoscale/abc.zip",
  body: Buffer.from("zip"),
  sha256: Buffer.from("0123456789abcdef0123456789abcdef"),
};

beforeEach(() => s3.reset());

describe("uploadLambdaArtifacts", () => {
  it("uploads with a checksum when the key is not in the bucket", async () => {
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({
        name: "NotFound",
        $fault: "client",
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const uploaded = await uploadLambdaArtifacts({
      s3: new S3Client({ region: "us-east-1" }),
      bucket: "b",
      artifacts: [artifact],
      logger: silentLogger(),
    });
    expect(uploaded).toEqual(["lambda/autoscale/abc.zip"]);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: "b",
      Key: "lambda/autoscale/abc.zip",
      ContentType: "application/zip",
      ChecksumSHA256: artifact.sha256.toString("base64"),
    });
  });

  it("fails clearly, uploading nothing, when the bucket cannot be read", async () => {
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({
        name: "Forbidden",
        $fault: "client",
        $metadata: { httpStatusCode: 403 },
        message: "Forbidden",
      }),
    );
    await expect(
      uploadLambdaArtifacts({
        s3: new S3Client({ region: "us-east-1" }),
        bucket: "b",
        artifacts: [artifact],
        logger: silentLogger(),
      }),
    ).rejects.toThrow(
      new LambdaCodeError("cannot check s3://b/lambda/autoscale/abc.zip: Forbidden"),
    );
    expect(s3.commandCalls(PutObjectCommand)).toEqual([]);
  });
});

describe("runCommand", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "cfn-stacks-run-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("runs the command in the given directory", async () => {
    await runCommand(process.execPath, ["-e", "require('fs').writeFileSync('built', 'ok')"], dir);
    expect(await readFile(join(dir, "built"), "utf8")).toBe("ok");
  });

  it("turns a failing build into a LambdaCodeError naming the command", async () => {
    await expect(runCommand(process.execPath, ["-e", "process.exit(3)"], dir)).rejects.toThrow(
      /failed \(3\)/,
    );
    await expect(runCommand("no-such-command-here", [], dir)).rejects.toThrow(
      /cannot run no-such-command-here/,
    );
  });
});
