import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { type AgentConfig, readConfig } from "../config/config.js";
import { ConfigError } from "../errors.js";
import { resolveRuntime } from "./runtime.js";

const ssmMock = mockClient(SSMClient);
afterEach(() => ssmMock.reset());

function config(argv: string[], env: Record<string, string> = {}): AgentConfig {
  return readConfig(argv, { RESTYLED_ENV: "test", ...env });
}

function metadata(values: Record<string, string>) {
  const asked: string[] = [];
  return {
    asked,
    get: async (path: string) => {
      asked.push(path);
      return values[path];
    },
  };
}

const onEc2 = {
  "instance-id": "i-0123456789abcdef0",
  "public-hostname": "ec2-3-4-5-6.compute-1.amazonaws.com",
  "placement/region": "us-east-1",
};

describe("resolveRuntime", () => {
  it("fills instance id, hostname, Docker host, region and token from IMDS and SSM", async () => {
    ssmMock
      .on(GetParameterCommand, { Name: "/restyled/test/restyled-api-token", WithDecryption: true })
      .resolves({ Parameter: { Value: "from-ssm" } });
    const runtime = await resolveRuntime(config([]), {
      metadata: metadata(onEc2),
      ssm: (region) => {
        expect(region).toBe("us-east-1");
        return new SSMClient({ region });
      },
    });
    expect(runtime).toMatchObject({
      instanceId: "i-0123456789abcdef0",
      publicHostname: "ec2-3-4-5-6.compute-1.amazonaws.com",
      dockerHost: "tcp://ec2-3-4-5-6.compute-1.amazonaws.com:2376",
      region: "us-east-1",
      restyledToken: "from-ssm",
      machineName: "restyled-test-i-0123456789abcdef0",
    });
  });

  it("asks IMDS nothing the flags already gave", async () => {
    const imds = metadata(onEc2);
    const runtime = await resolveRuntime(
      config(["--instance-id", "i-0fedcba987654321f", "--docker-host", "tcp://127.0.0.1:2376"], {
        RESTYLED_API_TOKEN: "from-env",
      }),
      { metadata: imds, ssm: () => new SSMClient({}) },
    );
    expect(imds.asked).toEqual([]);
    expect(runtime.restyledToken).toBe("from-env");
    expect(ssmMock.calls()).toHaveLength(0);
  });

  it("fails naming the flag when the instance has no public hostname", async () => {
    const error = await resolveRuntime(config([], { RESTYLED_API_TOKEN: "t" }), {
      metadata: metadata({ "instance-id": "i-0123456789abcdef0" }),
      ssm: () => new SSMClient({}),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      "--public-hostname not given and the instance metadata has no public-hostname",
    );
  });

  it("fails naming the parameter when SSM has no token, without leaking anything", async () => {
    ssmMock.on(GetParameterCommand).rejects(
      Object.assign(new Error("Parameter /restyled/test/restyled-api-token not found."), {
        name: "ParameterNotFound",
      }),
    );
    const error = await resolveRuntime(config(["--region", "us-east-1"]), {
      metadata: metadata(onEc2),
      ssm: () => new SSMClient({ region: "us-east-1" }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(
      "RESTYLED_API_TOKEN not set and SSM parameter /restyled/test/restyled-api-token could not be read",
    );
  });
});
