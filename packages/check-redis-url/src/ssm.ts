import {
  DescribeParametersCommand,
  GetParameterCommand,
  type ParameterTier,
  type ParameterType,
  PutParameterCommand,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { ConfigError, SsmError } from "./errors.js";

/**
 * Settings for the SSM client. Without `throwOnRequestTimeout` the SDK only
 * warns when `requestTimeout` passes and keeps waiting, so a call that never
 * answers would hang the run.
 */
export function ssmClientConfig(options: { region?: string; requestTimeoutMs?: number } = {}) {
  return {
    ...(options.region ? { region: options.region } : {}),
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      throwOnRequestTimeout: true,
    },
  };
}

/** A parameter's decrypted value and what must survive an overwrite. */
export interface StoredParameter {
  value: string;
  type: ParameterType;
  version: number;
  /** As SSM reports it; task definitions may name the parameter by it. */
  arn?: string | undefined;
}

/** Reads a parameter with decryption; `undefined` when it does not exist. */
export async function readParameter(
  client: SSMClient,
  name: string,
): Promise<StoredParameter | undefined> {
  try {
    const { Parameter } = await client.send(
      new GetParameterCommand({ Name: name, WithDecryption: true }),
    );
    if (Parameter?.Value === undefined || Parameter.Type === undefined) {
      throw new SsmError(`ssm:GetParameter on ${name} answered without a value or type`);
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
  if (error instanceof SsmError || error instanceof ConfigError) return error;
  const code = errorName(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (/Region is missing/.test(detail)) {
    return new ConfigError("no AWS region configured: set AWS_REGION or pass --region", {
      cause: error,
    });
  }
  switch (code) {
    case "CredentialsProviderError":
    case "UnrecognizedClientException":
    case "InvalidSignatureException":
    case "ExpiredTokenException":
      return new ConfigError(`no usable AWS credentials for ssm:${action} on ${name}: ${detail}`, {
        cause: error,
      });
    case "AccessDeniedException":
      return new ConfigError(
        `not allowed to ssm:${action} on ${name} (check the role's IAM policy and KMS key policy): ${detail}`,
        { cause: error },
      );
    case "ThrottlingException":
    case "TooManyUpdates":
      return new SsmError(`SSM is throttling ssm:${action} on ${name}; try again later`, {
        cause: error,
      });
    case "ParameterAlreadyExists":
      return new SsmError(
        `${name} was created by someone else during this run; nothing was overwritten, run again`,
        { cause: error },
      );
    default:
      return new SsmError(`ssm:${action} on ${name} failed: ${code}: ${detail}`, { cause: error });
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "UnknownError";
}
