import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  paginateListServices,
  type Service,
} from "@aws-sdk/client-ecs";
import { explainEcsError } from "./ecs-errors.js";

/** An SSM parameter as task definitions may name it in `secrets[].valueFrom`. */
export interface ParameterRef {
  /** `/restyled/prod/redis-url` */
  name: string;
  /** Its ARN when SSM told us (GetParameter); else matched by name, region and path. */
  arn?: string | undefined;
}

/** A service whose current task definition reads at least one of the parameters. */
export interface Consumer {
  serviceArn: string;
  serviceName: string;
  taskDefinition: string;
  /** The names of the parameters it reads. */
  parameters: string[];
}

// DescribeServices takes at most 10 services per call (ECS API reference).
const DESCRIBE_BATCH = 10;

/**
 * The ACTIVE services of `cluster` whose task definition passes one of the
 * parameters to a container as a secret. Found, not configured: a service
 * added later is rolled too.
 */
export async function findConsumers(
  ecs: ECSClient,
  options: { cluster: string; parameters: ParameterRef[]; region: string | undefined },
): Promise<Consumer[]> {
  const { cluster, parameters } = options;
  if (parameters.length === 0) return [];
  const services = await describeAllServices(ecs, cluster);
  const secretsByTaskDefinition = new Map<string, Promise<string[]>>();
  const consumers: Consumer[] = [];
  for (const service of services) {
    const taskDefinition = service.taskDefinition;
    if (service.status !== "ACTIVE" || !taskDefinition || !service.serviceArn) continue;
    if (!secretsByTaskDefinition.has(taskDefinition)) {
      secretsByTaskDefinition.set(taskDefinition, readSecretSources(ecs, taskDefinition));
    }
    const sources = (await secretsByTaskDefinition.get(taskDefinition)) ?? [];
    const read = parameters
      .filter((parameter) => sources.some((source) => refersTo(source, parameter, options.region)))
      .map((parameter) => parameter.name);
    if (read.length > 0) {
      consumers.push({
        serviceArn: service.serviceArn,
        serviceName: service.serviceName ?? service.serviceArn,
        taskDefinition,
        parameters: read,
      });
    }
  }
  return consumers;
}

async function describeAllServices(ecs: ECSClient, cluster: string): Promise<Service[]> {
  const arns: string[] = [];
  try {
    for await (const page of paginateListServices({ client: ecs, pageSize: 100 }, { cluster })) {
      arns.push(...(page.serviceArns ?? []));
    }
  } catch (error) {
    throw explainEcsError(error, "ListServices", cluster);
  }
  const services: Service[] = [];
  for (let start = 0; start < arns.length; start += DESCRIBE_BATCH) {
    const batch = arns.slice(start, start + DESCRIBE_BATCH);
    try {
      const answer = await ecs.send(new DescribeServicesCommand({ cluster, services: batch }));
      // A service deleted since ListServices comes back as a MISSING failure: nothing to roll.
      services.push(...(answer.services ?? []));
    } catch (error) {
      throw explainEcsError(error, "DescribeServices", cluster);
    }
  }
  return services;
}

/** Every `secrets[].valueFrom` of every container of a task definition. */
async function readSecretSources(ecs: ECSClient, taskDefinition: string): Promise<string[]> {
  try {
    const answer = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
    return (answer.taskDefinition?.containerDefinitions ?? []).flatMap((container) =>
      (container.secrets ?? []).map((secret) => secret.valueFrom ?? ""),
    );
  } catch (error) {
    throw explainEcsError(error, "DescribeTaskDefinition", taskDefinition);
  }
}

/**
 * ECS accepts a parameter's name when it is in the task's region, else its full
 * ARN (`arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME`, the name's leading
 * slash dropped). A Secrets Manager ARN or another region's parameter of the
 * same name is a different secret.
 */
export function refersTo(
  source: string,
  parameter: ParameterRef,
  region: string | undefined,
): boolean {
  if (source === parameter.name) return true;
  if (parameter.arn !== undefined) return source === parameter.arn;
  const match = /^arn:[^:]+:ssm:([^:]*):[^:]*:parameter(\/.*)$/.exec(source);
  if (!match) return false;
  const [, arnRegion, path] = match;
  const name = parameter.name.startsWith("/") ? parameter.name : `/${parameter.name}`;
  return path === name && (region === undefined || arnRegion === region);
}
