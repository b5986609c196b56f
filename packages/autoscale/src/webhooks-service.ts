import { DescribeServicesCommand, type ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { DependencyError } from "./errors.js";

export interface WebhooksServiceRef {
  cluster: string;
  service: string;
}

export interface WebhooksService extends WebhooksServiceRef {
  desired: number;
  running: number;
}

/** Reads the Webhooks service's desired and running task counts. */
export async function describeWebhooksService(
  client: ECSClient,
  ref: WebhooksServiceRef,
): Promise<WebhooksService> {
  const answer = await client.send(
    new DescribeServicesCommand({ cluster: ref.cluster, services: [ref.service] }),
  );
  const service = answer.services?.find(
    (s) => s.serviceName === ref.service || s.serviceArn === ref.service,
  );
  if (!service || service.status === "INACTIVE") {
    const failure = answer.failures?.[0]?.reason;
    throw new DependencyError(
      `ECS service "${ref.service}" in cluster "${ref.cluster}" ${failure ? `is ${failure}` : "does not exist or is inactive"}`,
    );
  }
  return { ...ref, desired: service.desiredCount ?? 0, running: service.runningCount ?? 0 };
}

/** Sets the Webhooks service's desired task count. */
export async function setWebhooksTasks(
  client: ECSClient,
  ref: WebhooksServiceRef,
  desiredCount: number,
): Promise<void> {
  await client.send(
    new UpdateServiceCommand({ cluster: ref.cluster, service: ref.service, desiredCount }),
  );
}
