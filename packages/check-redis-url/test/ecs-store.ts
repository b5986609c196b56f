import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServicesCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { createEcsState } from "./ecs-state.js";

export {
  parameterArn,
  REGION,
  type Rollout,
  type StandInService,
  taskDefinition,
} from "./ecs-state.js";

/** The ECS state of ecs-state.ts as aws-sdk-client-mock answers it, in process. */
export function mockEcs(...args: Parameters<typeof createEcsState>) {
  const state = createEcsState(...args);
  const mock = mockClient(ECSClient);
  mock.on(ListServicesCommand).callsFake(state.operations.ListServices);
  mock.on(DescribeServicesCommand).callsFake(state.operations.DescribeServices);
  mock.on(UpdateServiceCommand).callsFake(state.operations.UpdateService);
  mock.on(DescribeTaskDefinitionCommand).callsFake(state.operations.DescribeTaskDefinition);
  return {
    mock,
    services: state.services,
    updates: () => mock.commandCalls(UpdateServiceCommand),
    restore: () => mock.restore(),
  };
}
