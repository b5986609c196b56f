import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { awsClientConfig } from "@restyled/core/aws";
import type { Logger } from "@restyled/core/logger";

/** The AWS clients a run uses; tests pass clients mocked with aws-sdk-client-mock. */
export interface AwsClients {
  autoScaling: AutoScalingClient;
  ecs: ECSClient;
  cloudWatch: CloudWatchClient;
  ssm: SSMClient;
}

/** Creates the clients once per process (a warm Lambda reuses them). */
export function createAwsClients(options: { region?: string; logger?: Logger } = {}): AwsClients {
  // The shared settings: request timeouts that throw, the SDK's own retries.
  const config = awsClientConfig({ region: options.region, logger: options.logger });
  return {
    autoScaling: new AutoScalingClient(config),
    ecs: new ECSClient(config),
    cloudWatch: new CloudWatchClient(config),
    ssm: new SSMClient(config),
  };
}
