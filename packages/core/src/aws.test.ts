import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { awsClientConfig, describeAwsError, readParameter, requireRegion } from "./aws.js";
import { ConfigError, exitCodeFor, RestyledError, UnavailableError } from "./errors.js";
import { createLogger } from "./logger.js";
import { collect } from "./test-streams.js";

// Shapes as the SDK throws them (ServiceException subclasses set `name` and `$metadata`).
function sdkError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $fault: "client", $metadata: {}, ...extra });
}

describe("describeAwsError", () => {
  const call = "ssm:GetParameter /restyled/prod/redis-url";

  it("turns a missing region into a ConfigError with the fix", () => {
    const error = describeAwsError(new Error("Region is missing"), { call });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(`no AWS region for ${call}: set AWS_REGION or pass --region`);
  });

  it("turns missing or bad credentials and denied permissions into ConfigErrors", () => {
    const missing = describeAwsError(
      sdkError("CredentialsProviderError", "Could not load credentials from any providers"),
      { call },
    );
    expect(missing).toBeInstanceOf(ConfigError);
    expect(missing.message).toMatch(/^no usable AWS credentials for ssm:GetParameter/);
    expect(
      describeAwsError(sdkError("UnrecognizedClientException", "bad"), { call }),
    ).toBeInstanceOf(ConfigError);
    const denied = describeAwsError(sdkError("AccessDeniedException", "not authorized"), { call });
    expect(denied).toBeInstanceOf(ConfigError);
    expect(denied.message).toMatch(/^not allowed to ssm:GetParameter/);
  });

  it("turns network errors into UnavailableErrors naming the call and the endpoint", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
      code: "ECONNREFUSED",
      address: "127.0.0.1",
      port: 1,
    });
    const error = describeAwsError(refused, { call });
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe(`${call}: could not reach AWS at 127.0.0.1:1 (ECONNREFUSED)`);
    expect(exitCodeFor(error)).toBe(69);
  });

  it("turns request timeouts, throttling and 5xx into UnavailableErrors", () => {
    const timeout = Object.assign(
      new Error("a request has exceeded the configured 100 ms requestTimeout."),
      {
        name: "TimeoutError",
        code: "ETIMEDOUT",
      },
    );
    expect(
      describeAwsError(timeout, { call, endpoint: "https://ssm.us-east-1.amazonaws.com" }).message,
    ).toMatch(
      /^ssm:GetParameter \/restyled\/prod\/redis-url: AWS at https:\/\/ssm\.us-east-1\.amazonaws\.com did not answer in time/,
    );
    const throttled = describeAwsError(sdkError("ThrottlingException", "Rate exceeded"), { call });
    expect(throttled).toBeInstanceOf(UnavailableError);
    const internal = describeAwsError(
      sdkError("InternalServerError", "oops", { $metadata: { httpStatusCode: 500 } }),
      { call },
    );
    expect(internal).toBeInstanceOf(UnavailableError);
  });

  it("keeps other errors as failures (exit 1) and passes ours and aborts through", () => {
    const other = describeAwsError(sdkError("ValidationException", "bad name"), { call });
    expect(other).toBeInstanceOf(RestyledError);
    expect(exitCodeFor(other)).toBe(1);
    expect(other.message).toBe(`${call} failed: ValidationException: bad name`);
    const ours = new ConfigError("x");
    expect(describeAwsError(ours, { call })).toBe(ours);
    const abort = Object.assign(new Error("aborted"), { name: "AbortError" });
    expect(describeAwsError(abort, { call })).toBe(abort);
  });
});

describe("readParameter", () => {
  // mockClient patches every SSMClient until restored.
  let ssmMock: AwsClientStub<SSMClient>;
  beforeEach(() => {
    ssmMock = mockClient(SSMClient);
  });
  afterEach(() => ssmMock.restore());

  it("reads with decryption", async () => {
    ssmMock
      .on(GetParameterCommand, { Name: "/restyled/prod/redis-url", WithDecryption: true })
      .resolves({
        Parameter: { Name: "/restyled/prod/redis-url", Type: "SecureString", Value: "redis://x" },
      });
    expect(
      await readParameter(new SSMClient({ region: "us-east-1" }), "/restyled/prod/redis-url"),
    ).toBe("redis://x");
  });

  it("names a missing or empty parameter as a ConfigError", async () => {
    ssmMock.on(GetParameterCommand).rejects(sdkError("ParameterNotFound", ""));
    const ssm = new SSMClient({ region: "us-east-1" });
    await expect(readParameter(ssm, "/restyled/prod/x")).rejects.toThrow(
      new ConfigError("SSM parameter /restyled/prod/x does not exist"),
    );
    ssmMock
      .on(GetParameterCommand)
      .resolves({ Parameter: { Name: "/restyled/prod/x", Value: "" } });
    await expect(readParameter(ssm, "/restyled/prod/x")).rejects.toThrow(
      "SSM parameter /restyled/prod/x is empty",
    );
  });

  it("reports throttling as unavailable", async () => {
    ssmMock.on(GetParameterCommand).rejects(sdkError("ThrottlingException", "Rate exceeded"));
    const error = await readParameter(
      new SSMClient({ region: "us-east-1" }),
      "/restyled/prod/x",
    ).catch((e) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe(
      "ssm:GetParameter /restyled/prod/x: AWS is throttling requests; try again later",
    );
  });
});

describe("requireRegion", () => {
  it("returns the region the client resolves", async () => {
    const ssm = new SSMClient(awsClientConfig({ region: "eu-west-1" }));
    expect(await requireRegion(ssm, { call: "ssm" })).toBe("eu-west-1");
  });

  it("fails at once with the one-line hint when the client has none", async () => {
    const missing = { config: { region: () => Promise.reject(new Error("Region is missing")) } };
    const error = await requireRegion(missing, { call: "ssm" }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe("no AWS region for ssm: set AWS_REGION or pass --region");
  });
});

describe("awsClientConfig", () => {
  it("uses the SDK's standard retries and throwing timeouts", () => {
    expect(awsClientConfig({ region: "eu-west-1" })).toEqual({
      region: "eu-west-1",
      maxAttempts: 3,
      retryMode: "standard",
      requestHandler: {
        connectionTimeout: 5_000,
        requestTimeout: 10_000,
        throwOnRequestTimeout: true,
      },
    });
  });

  it("makes a call to an endpoint that never answers fail with UnavailableError after the SDK's own attempts", async () => {
    let requests = 0;
    const silent = createServer(() => {
      requests += 1;
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const ssm = new SSMClient({
        ...awsClientConfig({ region: "us-east-1", requestTimeoutMs: 200, maxAttempts: 2 }),
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" },
      });
      const error = await readParameter(ssm, "/restyled/test/x").catch((e) => e);
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error.message).toMatch(
        /^ssm:GetParameter \/restyled\/test\/x: AWS did not answer in time/,
      );
      expect(requests).toBe(2);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("leaves the SDK's record of a failed call to debug: the caller reports it once", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const stream = collect();
    const config = (level: "info" | "debug") =>
      awsClientConfig({
        region: "us-east-1",
        maxAttempts: 1,
        logger: createLogger({ name: "t", level, stream }),
      });
    const ssm = (level: "info" | "debug") =>
      new SSMClient({
        ...config(level),
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" },
      });
    await expect(readParameter(ssm("info"), "/restyled/test/x")).rejects.toThrow(UnavailableError);
    expect(stream.text).toBe("");
    await expect(readParameter(ssm("debug"), "/restyled/test/x")).rejects.toThrow(UnavailableError);
    expect(stream.lines().some((line) => line.source === "aws-sdk")).toBe(true);
  });

  it("turns off the SDK's Node version notice unless the operator chose", () => {
    const variable = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";
    const before = process.env[variable];
    try {
      delete process.env[variable];
      awsClientConfig();
      expect(process.env[variable]).toBe("true");
      process.env[variable] = "false";
      awsClientConfig();
      expect(process.env[variable]).toBe("false");
    } finally {
      if (before === undefined) delete process.env[variable];
      else process.env[variable] = before;
    }
  });

  it("reports a refused connection naming the endpoint", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const ssm = new SSMClient({
      ...awsClientConfig({ region: "us-east-1", maxAttempts: 1 }),
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" },
    });
    const error = await readParameter(ssm, "/restyled/test/x").catch((e) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe(
      `ssm:GetParameter /restyled/test/x: could not reach AWS at 127.0.0.1:${port} (ECONNREFUSED)`,
    );
  });
});
