// AWS response and error shapes for SSM, kept as JSON fixtures (from the SSM
// API reference) and turned into what the SDK hands to callers.
import {
  type DescribeParametersResult,
  type GetParameterResult,
  type PutParameterResult,
  SSMServiceException,
} from "@aws-sdk/client-ssm";
import describeParameters from "./fixtures/describe-parameters.json" with { type: "json" };
import errors from "./fixtures/errors.json" with { type: "json" };
import getParameter from "./fixtures/get-parameter-secure-string.json" with { type: "json" };
import putParameter from "./fixtures/put-parameter.json" with { type: "json" };

export type SsmErrorName = keyof typeof errors;

/** An SSM error as the SDK throws it, built from the fixture of that name. */
export function ssmError(name: SsmErrorName): SSMServiceException {
  const { message } = errors[name];
  return new SSMServiceException({
    name,
    message,
    $fault: "client",
    $metadata: { httpStatusCode: 400, requestId: "00000000-0000-0000-0000-000000000000" },
  });
}

/** GetParameter's answer for a SecureString, with a value and version of the test's choosing. */
export function getParameterOutput(name: string, value: string, version = 4): GetParameterResult {
  const { Parameter } = structuredClone(getParameter);
  return {
    Parameter: {
      ...Parameter,
      ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${name}`,
      Name: name,
      Value: value,
      Version: version,
      LastModifiedDate: new Date(Parameter.LastModifiedDate),
    },
  } as GetParameterResult;
}

export function describeParametersOutput(name: string): DescribeParametersResult {
  return {
    Parameters: describeParameters.Parameters.map((parameter) => ({
      ...parameter,
      Name: name,
      ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${name}`,
      LastModifiedDate: new Date(parameter.LastModifiedDate),
    })),
  } as DescribeParametersResult;
}

export function putParameterOutput(version: number): PutParameterResult {
  return { ...putParameter, Version: version } as PutParameterResult;
}
