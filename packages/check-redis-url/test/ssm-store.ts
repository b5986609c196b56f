import {
  DescribeParametersCommand,
  GetParameterCommand,
  type ParameterTier,
  type ParameterType,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { describeParametersOutput, getParameterOutput, ssmError } from "./aws-fixtures.js";

export interface StoredParameter {
  value: string;
  type: ParameterType;
  version: number;
  keyId?: string;
  tier?: ParameterTier;
}

/**
 * SSM Parameter Store as aws-sdk-client-mock answers it: an in-memory map
 * behind GetParameter, DescribeParameters and PutParameter with SSM's rules
 * (versions count up, creating an existing name without Overwrite fails,
 * a missing name is ParameterNotFound), answering with the fixtures' shapes.
 */
export function mockSsmStore(initial: Record<string, StoredParameter> = {}) {
  const parameters = new Map(Object.entries(initial));
  const mock = mockClient(SSMClient);
  mock.on(GetParameterCommand).callsFake((input: { Name: string; WithDecryption?: boolean }) => {
    const found = parameters.get(input.Name);
    if (!found) throw ssmError("ParameterNotFound");
    const value =
      found.type === "SecureString" && !input.WithDecryption ? "AQICAHencrypted==" : found.value;
    const output = getParameterOutput(input.Name, value, found.version);
    return { Parameter: { ...output.Parameter, Type: found.type } };
  });
  mock.on(DescribeParametersCommand).callsFake((input) => {
    const name = input.ParameterFilters?.[0]?.Values?.[0] ?? "";
    const found = parameters.get(name);
    if (!found) return { Parameters: [] };
    const [metadata] = describeParametersOutput(name).Parameters ?? [];
    return {
      Parameters: [
        { ...metadata, Type: found.type, KeyId: found.keyId, Tier: found.tier ?? "Standard" },
      ],
    };
  });
  mock.on(PutParameterCommand).callsFake((input) => {
    const existing = parameters.get(input.Name);
    if (existing && !input.Overwrite) throw ssmError("ParameterAlreadyExists");
    const version = (existing?.version ?? 0) + 1;
    parameters.set(input.Name, {
      value: input.Value,
      type: input.Type ?? existing?.type ?? "String",
      version,
      keyId: input.Type === "SecureString" ? (input.KeyId ?? "alias/aws/ssm") : undefined,
      tier: input.Tier ?? "Standard",
    });
    return { Version: version, Tier: input.Tier ?? "Standard" };
  });
  return { mock, parameters, puts: () => mock.commandCalls(PutParameterCommand) };
}
