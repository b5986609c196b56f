import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SSMClient } from "@aws-sdk/client-ssm";

/** The AWS clients a run uses; tests pass clients mocked with aws-sdk-client-mock. */
export interface AwsClients {
  autoScaling: AutoScalingClient;
  ecs: ECSClient;
  cloudWatch: CloudWatchClient;
  ssm: SSMClient;
}

/**
 * The settings every client gets. Without `throwOnRequestTimeout` the SDK only
 * warns when `requestTimeout` passes and keeps waiting, so a call that never
 * answers would hang the `--interval` loop for good.
 */
export function awsClientConfig(options: { region?: string; requestTimeoutMs?: number } = {}) {
  return {
    region: options.region,
    maxAttempts: 3,
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      throwOnRequestTimeout: true,
    },
  };
}

/** Creates the clients once per process (a warm Lambda reuses them). */
export function createAwsClients(options: { region?: string } = {}): AwsClients {
  const config = awsClientConfig({ region: options.region });
  return {
    autoScaling: new AutoScalingClient(config),
    ecs: new ECSClient(config),
    cloudWatch: new CloudWatchClient(config),
    ssm: new SSMClient(config),
  };
}
