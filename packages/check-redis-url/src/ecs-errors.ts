import { describeAwsError } from "@restyled/core/aws";
import { ConfigError } from "@restyled/core/errors";

/** Turns an ECS SDK error into one the operator can act on. */
export function explainEcsError(error: unknown, action: string, resource: string): Error {
  if ((error as Error)?.name === "ClusterNotFoundException") {
    return new ConfigError(`ECS has no cluster ${resource}; check --cluster / ECS_CLUSTER`, {
      cause: error,
    });
  }
  return describeAwsError(error, { call: `ecs:${action} ${resource}` });
}
