import { randomUUID } from "node:crypto";
import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  CreateOrUpdateTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeLifecycleHooksCommand,
  DescribeScalingActivitiesCommand,
  DescribeWarmPoolCommand,
  SetDesiredCapacityCommand,
  SetInstanceHealthCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import type { AwsClients } from "../src/clients.js";
import { describeGroupAnswer, describeServicesAnswer, type GroupShape } from "./aws-fixtures.js";

/** AWS clients mocked with aws-sdk-client-mock (the only stand-in here besides restyled.io). */
export function mockAws() {
  const region = "us-east-1";
  const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" };
  const clients: AwsClients = {
    autoScaling: new AutoScalingClient({ region, credentials }),
    ecs: new ECSClient({ region, credentials }),
    cloudWatch: new CloudWatchClient({ region, credentials }),
    ssm: new SSMClient({ region, credentials }),
  };
  const mocks = {
    autoScaling: mockClient(clients.autoScaling),
    ecs: mockClient(clients.ecs),
    cloudWatch: mockClient(clients.cloudWatch),
    ssm: mockClient(clients.ssm),
  };
  mocks.autoScaling.on(SetDesiredCapacityCommand).resolves({});
  mocks.autoScaling.on(CreateOrUpdateTagsCommand).resolves({});
  mocks.autoScaling.on(DescribeScalingActivitiesCommand).resolves({ Activities: [] });
  mocks.autoScaling.on(DescribeLifecycleHooksCommand).resolves({ LifecycleHooks: [] });
  // A group without a warm pool: AWS answers without a WarmPoolConfiguration.
  mocks.autoScaling.on(DescribeWarmPoolCommand).resolves({ Instances: [] });
  mocks.ecs.on(UpdateServiceCommand).resolves({});
  mocks.cloudWatch.on(PutMetricDataCommand).resolves({});
  return {
    clients,
    mocks,
    group(shape: GroupShape) {
      mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(describeGroupAnswer(shape));
    },
    service(desiredCount: number) {
      mocks.ecs.on(DescribeServicesCommand).resolves(describeServicesAnswer(desiredCount));
    },
    /** Every call that would change infrastructure. */
    writes() {
      return [
        ...mocks.autoScaling.commandCalls(SetDesiredCapacityCommand),
        ...mocks.autoScaling.commandCalls(CreateOrUpdateTagsCommand),
        ...mocks.autoScaling.commandCalls(SetInstanceHealthCommand),
        ...mocks.autoScaling.commandCalls(CompleteLifecycleActionCommand),
        ...mocks.autoScaling.commandCalls(TerminateInstanceInAutoScalingGroupCommand),
        ...mocks.ecs.commandCalls(UpdateServiceCommand),
      ];
    },
  };
}

/**
 * mockAws(), except Auto Scaling: a real SDK client talking to the stateful
 * stand-in (test/auto-scaling), one attempt per call so a refused call is the
 * test's to see.
 */
export function mockAwsWithAutoScaling(standIn: { url: string }) {
  const aws = mockAws();
  aws.clients.autoScaling = new AutoScalingClient({
    endpoint: standIn.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" },
    maxAttempts: 1,
  });
  return aws;
}

/** An instance id that sorts by `n`: `i-0` and 16 digits. */
export function instanceId(n: number): string {
  return `i-0${String(n).padStart(16, "0")}`;
}

/** A name no other test uses, for queues and groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
