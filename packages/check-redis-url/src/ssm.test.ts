import {
  DescribeParametersCommand,
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { ConfigError, UnavailableError } from "@restyled/core/errors";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  describeParametersOutput,
  getParameterOutput,
  putParameterOutput,
  ssmError,
} from "../test/aws-fixtures.js";
import { readParameter, writeParameter } from "./ssm.js";

// SSM is aws-sdk-client-mock answering with the fixtures' shapes.
const ssmMock = mockClient(SSMClient);
const client = new SSMClient({ region: "us-east-1" });
const NAME = "/restyled/test/redis-url";

beforeEach(() => ssmMock.reset());

describe("readParameter", () => {
  it("reads with decryption and returns value, type and version", async () => {
    ssmMock.on(GetParameterCommand).resolves(getParameterOutput(NAME, "redis://h:1", 7));
    expect(await readParameter(client, NAME)).toEqual({
      value: "redis://h:1",
      type: "SecureString",
      version: 7,
      arn: `arn:aws:ssm:us-east-1:123456789012:parameter${NAME}`,
    });
    expect(ssmMock.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: NAME,
      WithDecryption: true,
    });
  });

  it("returns undefined for a missing parameter", async () => {
    ssmMock.on(GetParameterCommand).rejects(ssmError("ParameterNotFound"));
    expect(await readParameter(client, NAME)).toBeUndefined();
  });

  it("explains access denied as configuration (IAM or KMS) to fix", async () => {
    ssmMock.on(GetParameterCommand).rejects(ssmError("AccessDeniedException"));
    const error = await readParameter(client, NAME).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^not allowed to ssm:GetParameter \/restyled\/test\/redis-url \(check the IAM policy\): User: .* is not authorized/,
    );
  });

  it("explains missing credentials and a missing region as configuration", async () => {
    const noCredentials = Object.assign(
      new Error("Could not load credentials from any providers"),
      {
        name: "CredentialsProviderError",
      },
    );
    ssmMock.on(GetParameterCommand).rejects(noCredentials);
    await expect(readParameter(client, NAME)).rejects.toThrow(ConfigError);
    await expect(readParameter(client, NAME)).rejects.toThrow(
      /^no usable AWS credentials for ssm:GetParameter \/restyled\/test\/redis-url .*: Could not load credentials from any providers$/,
    );
    ssmMock.on(GetParameterCommand).rejects(new Error("Region is missing"));
    await expect(readParameter(client, NAME)).rejects.toThrow(
      new ConfigError(
        "no AWS region for ssm:GetParameter /restyled/test/redis-url: set AWS_REGION or pass --region",
      ),
    );
  });

  it("explains throttling", async () => {
    ssmMock.on(GetParameterCommand).rejects(ssmError("ThrottlingException"));
    await expect(readParameter(client, NAME)).rejects.toThrow(
      new UnavailableError(
        "ssm:GetParameter /restyled/test/redis-url: AWS is throttling requests; try again later",
      ),
    );
  });
});

describe("writeParameter", () => {
  it("overwrites keeping the type, KMS key and tier", async () => {
    ssmMock.on(DescribeParametersCommand).resolves(describeParametersOutput(NAME));
    ssmMock.on(PutParameterCommand).resolves(putParameterOutput(5));
    const existing = { value: "old", type: "SecureString" as const, version: 4 };
    expect(await writeParameter(client, { name: NAME, value: "new", existing })).toBe(5);
    expect(ssmMock.commandCalls(DescribeParametersCommand)[0]?.args[0].input).toEqual({
      ParameterFilters: [{ Key: "Name", Option: "Equals", Values: [NAME] }],
    });
    expect(ssmMock.commandCalls(PutParameterCommand)[0]?.args[0].input).toEqual({
      Name: NAME,
      Value: "new",
      Type: "SecureString",
      KeyId: "alias/restyled-test",
      Tier: "Advanced",
      Overwrite: true,
    });
  });

  it("keeps a String parameter a String, with no key", async () => {
    ssmMock.on(DescribeParametersCommand).resolves({ Parameters: [] });
    ssmMock.on(PutParameterCommand).resolves(putParameterOutput(2));
    const existing = { value: "old", type: "String" as const, version: 1 };
    await writeParameter(client, { name: NAME, value: "new", existing });
    expect(ssmMock.commandCalls(PutParameterCommand)[0]?.args[0].input).toMatchObject({
      Type: "String",
      KeyId: undefined,
      Overwrite: true,
    });
  });

  it("creates a missing parameter as a SecureString without overwriting", async () => {
    ssmMock.on(PutParameterCommand).resolves(putParameterOutput(1));
    expect(await writeParameter(client, { name: NAME, value: "new", existing: undefined })).toBe(1);
    expect(ssmMock.commandCalls(DescribeParametersCommand)).toHaveLength(0);
    expect(ssmMock.commandCalls(PutParameterCommand)[0]?.args[0].input).toMatchObject({
      Type: "SecureString",
      Overwrite: false,
    });
  });

  it("reports a parameter created meanwhile instead of overwriting it", async () => {
    ssmMock.on(PutParameterCommand).rejects(ssmError("ParameterAlreadyExists"));
    await expect(
      writeParameter(client, { name: NAME, value: "new", existing: undefined }),
    ).rejects.toThrow(/was created by someone else during this run; nothing was overwritten/);
  });

  it("explains access denied on the write and on the describe", async () => {
    const existing = { value: "old", type: "SecureString" as const, version: 4 };
    ssmMock.on(DescribeParametersCommand).rejects(ssmError("AccessDeniedException"));
    await expect(writeParameter(client, { name: NAME, value: "new", existing })).rejects.toThrow(
      /^not allowed to ssm:DescribeParameters \/restyled/,
    );
    expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
    ssmMock.on(DescribeParametersCommand).resolves(describeParametersOutput(NAME));
    ssmMock.on(PutParameterCommand).rejects(ssmError("AccessDeniedException"));
    await expect(writeParameter(client, { name: NAME, value: "new", existing })).rejects.toThrow(
      ConfigError,
    );
  });

  it("never puts the value into an error message", async () => {
    ssmMock.on(PutParameterCommand).rejects(ssmError("ThrottlingException"));
    const error = await writeParameter(client, {
      name: NAME,
      value: "rediss://:the-new-secret@h:1",
      existing: undefined,
    }).catch((e: unknown) => e);
    expect((error as Error).message).not.toContain("the-new-secret");
  });
});
