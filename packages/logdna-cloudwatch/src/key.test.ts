import { GetParameterCommand, ParameterNotFound, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "./errors.js";
import { createKeySource } from "./key.js";

const ssm = mockClient(SSMClient);
afterEach(() => ssm.reset());

const client = () => new SSMClient({ region: "us-east-1" });

describe("createKeySource", () => {
  it("reads /restyled/{env}/logdna-key with decryption, once across invocations", async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: "the-key\n" } });
    const keys = createKeySource({ env: "prod", ssm: client() });
    expect(await keys.get()).toBe("the-key");
    expect(await keys.get()).toBe("the-key");
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(ssm.commandCalls(GetParameterCommand)[0]!.args[0].input).toEqual({
      Name: "/restyled/prod/logdna-key",
      WithDecryption: true,
    });
  });

  it("uses LOGDNA_KEY without calling SSM", async () => {
    const keys = createKeySource({ env: "prod", key: "from-env", ssm: client() });
    expect(await keys.get()).toBe("from-env");
    expect(ssm.calls()).toHaveLength(0);
  });

  it("reads SSM again after the key is invalidated", async () => {
    ssm
      .on(GetParameterCommand)
      .resolvesOnce({ Parameter: { Value: "old" } })
      .resolves({
        Parameter: { Value: "rotated" },
      });
    const keys = createKeySource({ env: "prod", ssm: client() });
    expect(await keys.get()).toBe("old");
    keys.invalidate();
    expect(await keys.get()).toBe("rotated");
  });

  it("says which parameter is missing, and does not cache the failure", async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(new ParameterNotFound({ message: "not found", $metadata: {} }))
      .resolves({ Parameter: { Value: "now-there" } });
    const keys = createKeySource({ env: "staging", ssm: client() });
    const error = await keys.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      "SSM parameter /restyled/staging/logdna-key does not exist: create it, or set LOGDNA_KEY",
    );
    expect(await keys.get()).toBe("now-there");
  });

  it("refuses an empty parameter", async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: "  " } });
    await expect(createKeySource({ env: "prod", ssm: client() }).get()).rejects.toThrow(
      "SSM parameter /restyled/prod/logdna-key is empty",
    );
  });

  it("reports a refused read as a configuration error naming the call", async () => {
    ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error("not allowed"), { name: "AccessDeniedException" }));
    await expect(createKeySource({ env: "prod", ssm: client() }).get()).rejects.toThrow(
      /not allowed to ssm:GetParameter \/restyled\/prod\/logdna-key \(check the IAM policy\)/,
    );
  });
});
