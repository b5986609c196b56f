import {
  AccessDeniedException,
  ClientException,
  ClusterNotFoundException,
  type ContainerDefinition,
  type Deployment,
  type DescribeServicesCommandInput,
  type DescribeTaskDefinitionCommandInput,
  InvalidParameterException,
  type ListServicesCommandInput,
  type Service,
  ServiceNotActiveException,
  ServiceNotFoundException,
  type TaskDefinition,
  type UpdateServiceCommandInput,
} from "@aws-sdk/client-ecs";
import servicesFixture from "./fixtures/ecs-describe-services.json" with { type: "json" };
import taskDefinitionFixture from "./fixtures/ecs-describe-task-definition.json" with {
  type: "json",
};
import errors from "./fixtures/ecs-errors.json" with { type: "json" };

const ACCOUNT = "123456789012";
export const REGION = "us-east-1";

/** How a service answers a new deployment. */
export type Rollout = "settles" | "settles-at-once" | "never-settles" | "rolls-back";

export interface StandInService {
  name: string;
  taskDefinition: string;
  status?: "ACTIVE" | "DRAINING" | "INACTIVE";
  desiredCount?: number;
  rollout?: Rollout;
}

type EcsErrorName = keyof typeof errors;

function ecsError(name: EcsErrorName, message = errors[name].message) {
  const classes = {
    ClusterNotFoundException,
    ServiceNotFoundException,
    ServiceNotActiveException,
    InvalidParameterException,
    ClientException,
    AccessDeniedException,
  };
  return new classes[name]({ message, $metadata: { httpStatusCode: 400 } });
}

/** The ARN of an SSM parameter in the stand-in's account and region. */
export function parameterArn(name: string, region = REGION): string {
  return `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name}`;
}

/** A task definition (the fixture's shape) whose one container reads these secrets. */
export function taskDefinition(family: string, secrets: Record<string, string>): TaskDefinition {
  const template = structuredClone(taskDefinitionFixture.taskDefinition);
  const container = template.containerDefinitions[0] as ContainerDefinition;
  container.secrets = Object.entries(secrets).map(([name, valueFrom]) => ({ name, valueFrom }));
  return {
    ...template,
    family,
    taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:1`,
    revision: 1,
    containerDefinitions: [container],
    registeredAt: new Date(template.registeredAt * 1000),
  } as TaskDefinition;
}

/**
 * ECS in memory: one cluster's services and the task definitions behind
 * ListServices, DescribeServices, UpdateService and DescribeTaskDefinition,
 * with the API reference's shapes (fixtures) and
 * its refusals: an unknown cluster (ClusterNotFoundException), more than 10
 * services per DescribeServices or a ListServices maxResults outside 1..100
 * (InvalidParameterException), an unknown or inactive service on
 * UpdateService, an unknown task definition (ClientException); an unknown
 * service in DescribeServices is a `MISSING` failure. A forced deployment
 * progresses one step per DescribeServices of that service.
 */
export function createEcsState(
  cluster: string,
  initial: { services: StandInService[]; taskDefinitions: TaskDefinition[] },
) {
  const clusterArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${cluster}`;
  const taskDefinitions = new Map(
    initial.taskDefinitions.map((t) => [t.taskDefinitionArn ?? "", t]),
  );
  const services = new Map<string, { service: Service; rollout: Rollout; steps: number }>();
  let deployments = 0;
  const newDeployment = (
    taskDefinitionArn: string,
    desired: number,
    running: number,
  ): Deployment => {
    deployments += 1;
    const [template] = structuredClone(servicesFixture.services[0]?.deployments ?? []);
    const now = new Date();
    return {
      ...(template as unknown as Deployment),
      id: `ecs-svc/${String(deployments).padStart(19, "0")}`,
      status: "PRIMARY",
      taskDefinition: taskDefinitionArn,
      desiredCount: desired,
      runningCount: running,
      pendingCount: desired - running,
      rolloutState: running === desired ? "COMPLETED" : "IN_PROGRESS",
      rolloutStateReason: undefined,
      createdAt: now,
      updatedAt: now,
    };
  };
  for (const spec of initial.services) {
    const [template] = structuredClone(servicesFixture.services);
    const desired = spec.desiredCount ?? 2;
    const service: Service = {
      ...(template as unknown as Service),
      serviceName: spec.name,
      serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${spec.name}`,
      clusterArn,
      status: spec.status ?? "ACTIVE",
      taskDefinition: spec.taskDefinition,
      desiredCount: desired,
      runningCount: desired,
      pendingCount: 0,
      deployments: [newDeployment(spec.taskDefinition, desired, desired)],
      events: [],
      createdAt: new Date(),
    };
    services.set(spec.name, { service, rollout: spec.rollout ?? "settles", steps: 0 });
  }

  const checkCluster = (given: string | undefined) => {
    const name = given ?? "default";
    if (name !== cluster && name !== clusterArn) throw ecsError("ClusterNotFoundException");
  };
  const find = (given: string) => {
    const name = given.startsWith("arn:")
      ? given.startsWith(`arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/`)
        ? given.split("/").at(-1)
        : undefined
      : given;
    return name === undefined ? undefined : services.get(name);
  };

  const listServices = (input: ListServicesCommandInput) => {
    checkCluster(input.cluster);
    const max = input.maxResults ?? 10;
    if (!Number.isInteger(max) || max < 1 || max > 100) {
      throw ecsError("InvalidParameterException", "maxResults must be between 1 and 100.");
    }
    const arns = [...services.values()]
      .filter((s) => s.service.status === "ACTIVE" || s.service.status === "DRAINING")
      .map((s) => s.service.serviceArn ?? "");
    const start =
      input.nextToken === undefined ? 0 : Number(input.nextToken.replace(/^token-/, ""));
    if (input.nextToken !== undefined && !/^token-\d+$/.test(input.nextToken)) {
      throw ecsError("InvalidParameterException", "Invalid nextToken.");
    }
    const page = arns.slice(start, start + max);
    const next = start + max < arns.length ? `token-${start + max}` : undefined;
    return { serviceArns: page, ...(next ? { nextToken: next } : {}) };
  };
  const describeServices = (input: DescribeServicesCommandInput) => {
    checkCluster(input.cluster);
    const wanted = input.services ?? [];
    if (wanted.length === 0 || wanted.length > 10) throw ecsError("InvalidParameterException");
    const found: Service[] = [];
    const failures: Array<{ arn: string; reason: string }> = [];
    for (const given of wanted) {
      const entry = find(given);
      if (!entry) {
        failures.push({
          arn: given.startsWith("arn:")
            ? given
            : `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${given}`,
          reason: "MISSING",
        });
        continue;
      }
      advance(entry);
      found.push(structuredClone(entry.service));
    }
    return { services: found, failures };
  };
  const updateService = (input: UpdateServiceCommandInput) => {
    checkCluster(input.cluster);
    const entry = input.service ? find(input.service) : undefined;
    if (!entry) throw ecsError("ServiceNotFoundException");
    if (entry.service.status !== "ACTIVE") throw ecsError("ServiceNotActiveException");
    if (input.forceNewDeployment) {
      const { service } = entry;
      for (const d of service.deployments ?? []) d.status = "ACTIVE";
      service.deployments = [
        newDeployment(service.taskDefinition ?? "", service.desiredCount ?? 0, 0),
        ...(service.deployments ?? []),
      ];
      entry.steps = 0;
    }
    return { service: structuredClone(entry.service) };
  };
  const describeTaskDefinition = (input: DescribeTaskDefinitionCommandInput) => {
    const found = taskDefinitions.get(input.taskDefinition ?? "");
    if (!found) throw ecsError("ClientException");
    return { taskDefinition: structuredClone(found), tags: [] };
  };

  /** One step of a deployment in progress, as a poll would see it. */
  function advance(entry: { service: Service; rollout: Rollout; steps: number }) {
    const { service } = entry;
    const deploymentsNow = service.deployments ?? [];
    if (deploymentsNow.length < 2) return;
    entry.steps += 1;
    const [primary] = deploymentsNow;
    if (!primary) return;
    const desired = service.desiredCount ?? 0;
    if (entry.rollout === "never-settles") {
      // Its new tasks keep failing to start: the old ones keep serving.
      primary.failedTasks = entry.steps;
      return;
    }
    if (entry.rollout === "rolls-back" && primary.rolloutState === "IN_PROGRESS") {
      primary.rolloutState = "FAILED";
      primary.rolloutStateReason = "ECS deployment circuit breaker: tasks failed to start.";
      primary.status = "ACTIVE";
      const rollback = newDeployment(service.taskDefinition ?? "", desired, desired);
      rollback.rolloutStateReason = "ECS deployment detected a failure and rolled back.";
      service.deployments = [rollback];
      service.runningCount = desired;
      return;
    }
    if (entry.steps === 1 && entry.rollout !== "settles-at-once") {
      primary.runningCount = desired;
      primary.pendingCount = 0;
      service.runningCount = desired * 2;
      return;
    }
    primary.rolloutState = "COMPLETED";
    service.deployments = [primary];
    service.runningCount = desired;
  }

  return {
    services,
    /** The operations by their API name, as the endpoint dispatches them. */
    operations: {
      ListServices: listServices,
      DescribeServices: describeServices,
      UpdateService: updateService,
      DescribeTaskDefinition: describeTaskDefinition,
    },
  };
}

export type EcsState = ReturnType<typeof createEcsState>;
