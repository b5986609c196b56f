import {
  DescribeServicesCommand,
  type ECSClient,
  type Service,
  UpdateServiceCommand,
  waitUntilServicesStable,
} from "@aws-sdk/client-ecs";
import type { Logger } from "@restyled/core/logger";
import type { Consumer } from "./ecs-consumers.js";
import { explainEcsError } from "./ecs-errors.js";
import { RollError } from "./errors.js";

export interface RollOptions {
  cluster: string;
  consumers: Consumer[];
  /** How long the services have, together, to reach a steady state. */
  maxWaitMs: number;
  /** The waiter's first delay between polls (ECS's own default is 15 s). */
  minDelaySeconds?: number;
  logger: Logger;
  /** Aborted by the first SIGINT/SIGTERM: stop waiting. */
  signal?: AbortSignal | undefined;
}

/** A service that was given a new deployment and reached a steady state on it. */
export interface SteadyService {
  service: string;
  deployment: string;
}

// DescribeServices (and so the waiter) takes at most 10 services per call.
const WAIT_BATCH = 10;

/**
 * Starts a new deployment of each service (`forceNewDeployment`: same task
 * definition, fresh tasks that read the parameters anew), then waits with the
 * SDK's ServicesStable waiter, bounded by `maxWaitMs`. A service that does not
 * settle, or settles back on an older deployment (a circuit-breaker rollback),
 * fails the roll.
 */
export async function rollServices(ecs: ECSClient, options: RollOptions): Promise<SteadyService[]> {
  const { cluster, consumers, logger } = options;
  const started = new Map<string, string>();
  for (const consumer of consumers) {
    let service: Service | undefined;
    try {
      ({ service } = await ecs.send(
        new UpdateServiceCommand({
          cluster,
          service: consumer.serviceArn,
          forceNewDeployment: true,
        }),
      ));
    } catch (error) {
      throw explainEcsError(error, "UpdateService", consumer.serviceName);
    }
    const deployment = primaryDeployment(service)?.id;
    if (!deployment) throw new RollError(`ECS started no deployment of ${consumer.serviceName}`);
    started.set(consumer.serviceArn, deployment);
    logger.info("started a new deployment", {
      service: consumer.serviceName,
      deployment,
      reads: consumer.parameters,
    });
  }

  const arns = [...started.keys()];
  const batches: string[][] = [];
  for (let start = 0; start < arns.length; start += WAIT_BATCH) {
    batches.push(arns.slice(start, start + WAIT_BATCH));
  }
  const settled = await Promise.all(
    batches.map((batch) => waitForSteadyState(ecs, { ...options, services: batch })),
  );
  const rolled: SteadyService[] = [];
  for (const service of settled.flat()) {
    const ours = started.get(service.serviceArn ?? "");
    const primary = primaryDeployment(service);
    const name = service.serviceName ?? service.serviceArn ?? "?";
    if (primary?.id !== ours || primary?.rolloutState === "FAILED") {
      throw new RollError(
        `${name} settled without the new deployment ${ours} (rolled back: ${primary?.rolloutStateReason ?? "no reason given"}); its tasks may still hold the old credentials`,
      );
    }
    rolled.push({ service: name, deployment: ours ?? "" });
  }
  logger.info("the services reading the new credentials are steady", {
    services: rolled.map((r) => r.service),
  });
  return rolled;
}

async function waitForSteadyState(
  ecs: ECSClient,
  options: RollOptions & { services: string[] },
): Promise<Service[]> {
  const { cluster, services, maxWaitMs } = options;
  const minDelay = options.minDelaySeconds ?? 15;
  try {
    const result = await waitUntilServicesStable(
      {
        client: ecs,
        maxWaitTime: maxWaitMs / 1000,
        minDelay,
        maxDelay: Math.max(minDelay, Math.min(60, maxWaitMs / 4000)),
        ...(options.signal ? { abortSignal: options.signal } : {}),
      },
      { cluster, services },
    );
    return (result.reason as { services?: Service[] } | undefined)?.services ?? [];
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const state = await describeState(ecs, cluster, services);
    const seconds = Math.round(maxWaitMs / 1000);
    const why =
      error instanceof Error && error.name === "TimeoutError"
        ? `did not reach a steady state within ${seconds}s`
        : "stopped being a running service while rolling";
    throw new RollError(`${state} ${why}; its tasks may still hold the old credentials`, {
      cause: error,
    });
  }
}

/** `webhooks (1 of 2 tasks running, 2 deployments)`, for the error message. */
async function describeState(ecs: ECSClient, cluster: string, services: string[]): Promise<string> {
  try {
    const answer = await ecs.send(new DescribeServicesCommand({ cluster, services }));
    const described = (answer.services ?? []).map(
      (s) =>
        `${s.serviceName} (${s.runningCount ?? 0} of ${s.desiredCount ?? 0} tasks running, ${s.deployments?.length ?? 0} deployments, status ${s.status})`,
    );
    const missing = (answer.failures ?? []).map((f) => `${f.arn} (${f.reason})`);
    return [...described, ...missing].join(", ");
  } catch {
    return services.join(", ");
  }
}

function primaryDeployment(service: Service | undefined) {
  return service?.deployments?.find((deployment) => deployment.status === "PRIMARY");
}
