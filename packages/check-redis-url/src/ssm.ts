import {
  DescribeParametersCommand,
  GetParameterCommand,
  type ParameterTier,
  type ParameterType,
  PutParameterCommand,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { describeAwsError } from "@restyled/core/aws";
import { RestyledError } from "@restyled/core/errors";

/** A parameter's decrypted value and what must survive an overwrite. */
export interface StoredParameter {
  value: string;
  type: ParameterType;
  version: number;
  /** As SSM reports it; task definitions may name the parameter by it. */
  arn?: string | undefined;
}

/**
 * Reads a parameter with decryption and what an overwrite must keep (type,
 * version, ARN); `undefined` when it does not exist. (The shared
 * `readParameter` of @restyled/core returns the value only and treats a
 * missing parameter as an error; here a missing one is created.)
 */
export async function readParameter(
  client: SSMClient,
  name: string,
): Promise<StoredParameter | undefined> {
  try {
    const { Parameter } = await client.send(
      new GetParameterCommand({ Name: name, WithDecryption: true }),
    );
    if (Parameter?.Value === undefined || Parameter.Type === undefined) {
      throw new RestyledError(`ssm:GetParameter ${name} answered without a value or type`);
    }
    return {
      value: Parameter.Value,
      type: Parameter.Type,
      version: Parameter.Version ?? 0,
      arn: Parameter.ARN,
    };
  } catch (error) {
    if (errorName(error) === "ParameterNotFound") return undefined;
    throw explainSsmError(error, "GetParameter", name);
  }
}

export interface WriteParameterOptions {
  name: string;
  value: string;
  /** The parameter as read before; `undefined` creates it as a SecureString. */
  existing: StoredParameter | undefined;
}

/**
 * Overwrites a parameter keeping its type, KMS key and tier (a SecureString
 * stays one, under the same key), or creates a missing one as a SecureString.
 * Returns the new version.
 */
export async function writeParameter(
  client: SSMClient,
  options: WriteParameterOptions,
): Promise<number> {
  const { name, value, existing } = options;
  const kept = existing ? await describeParameter(client, name) : undefined;
  try {
    const { Version } = await client.send(
      new PutParameterCommand({
        Name: name,
        Value: value,
        Type: existing?.type ?? "SecureString",
        // Without the key id an overwrite would re-encrypt under aws/ssm.
        KeyId: existing?.type === "SecureString" ? kept?.keyId : undefined,
        Tier: kept?.tier,
        // Creating never overwrites: a parameter that appeared meanwhile is an error.
        Overwrite: existing !== undefined,
      }),
    );
    return Version ?? 0;
  } catch (error) {
    throw explainSsmError(error, "PutParameter", name);
  }
}

async function describeParameter(
  client: SSMClient,
  name: string,
): Promise<{ keyId: string | undefined; tier: ParameterTier | undefined }> {
  try {
    const { Parameters } = await client.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: "Name", Option: "Equals", Values: [name] }],
      }),
    );
    const found = Parameters?.find((parameter) => parameter.Name === name);
    return { keyId: found?.KeyId, tier: found?.Tier };
  } catch (error) {
    throw explainSsmError(error, "DescribeParameters", name);
  }
}

/** Turns an SDK error into one the operator can act on; values never appear in it. */
function explainSsmError(error: unknown, action: string, name: string): Error {
  if ((error as Error)?.name === "ParameterAlreadyExists") {
    return new RestyledError(
      `${name} was created by someone else during this run; nothing was overwritten, run again`,
      { cause: error },
    );
  }
  return describeAwsError(error, { call: `ssm:${action} ${name}` });
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "UnknownError";
}
