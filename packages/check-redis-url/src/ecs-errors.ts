import { ConfigError, EcsError } from "./errors.js";

/** Turns an ECS SDK error into one the operator can act on. */
export function explainEcsError(error: unknown, action: string, resource: string): Error {
  if (error instanceof EcsError || error instanceof ConfigError) return error;
  const code = error instanceof Error ? error.name : "UnknownError";
  const detail = error instanceof Error ? error.message : String(error);
  const call = `ecs:${action} on ${resource}`;
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
      return new ConfigError(`no usable AWS credentials for ${call}: ${detail}`, { cause: error });
    case "AccessDeniedException":
      return new ConfigError(`not allowed to ${call} (check the role's IAM policy): ${detail}`, {
        cause: error,
      });
    case "ClusterNotFoundException":
      return new ConfigError(`ECS has no cluster ${resource}; check --cluster / ECS_CLUSTER`, {
        cause: error,
      });
    case "ThrottlingException":
      return new EcsError(`ECS is throttling ${call}; try again later`, { cause: error });
    default:
      return new EcsError(`${call} failed: ${code}: ${detail}`, { cause: error });
  }
}
