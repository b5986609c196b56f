import { readFileSync } from "node:fs";
import type {
  AutoScalingGroup,
  DescribeAutoScalingGroupsCommandOutput,
  Instance,
} from "@aws-sdk/client-auto-scaling";
import type { DescribeServicesCommandOutput } from "@aws-sdk/client-ecs";

function fixture<T>(name: string): T {
  const url = new URL(`./fixtures/${name}.json`, import.meta.url);
  const { $comment: _, ...body } = JSON.parse(readFileSync(url, "utf8"));
  return body as T;
}

export interface GroupShape {
  name: string;
  min?: number;
  max?: number;
  desired: number;
  /** Lifecycle states of the instances; defaults to `desired` InService instances. */
  states?: string[];
  tags?: Record<string, string>;
}

/** A DescribeAutoScalingGroups answer built from the recorded fixture. */
export function describeGroupAnswer(shape: GroupShape): DescribeAutoScalingGroupsCommandOutput {
  const answer = fixture<DescribeAutoScalingGroupsCommandOutput>("describe-auto-scaling-groups");
  const template = answer.AutoScalingGroups![0]!;
  const instance = template.Instances![0]!;
  const states = shape.states ?? Array.from({ length: shape.desired }, () => "InService");
  const group: AutoScalingGroup = {
    ...template,
    AutoScalingGroupName: shape.name,
    MinSize: shape.min ?? 1,
    MaxSize: shape.max ?? 5,
    DesiredCapacity: shape.desired,
    Instances: states.map(
      (state, index): Instance => ({
        ...instance,
        InstanceId: `i-${String(index).padStart(17, "0")}`,
        LifecycleState: state as Instance["LifecycleState"],
      }),
    ),
    Tags: [
      ...(template.Tags ?? []),
      ...Object.entries(shape.tags ?? {}).map(([Key, Value]) => ({
        ResourceId: shape.name,
        ResourceType: "auto-scaling-group",
        Key,
        Value,
        PropagateAtLaunch: false,
      })),
    ],
  };
  return { ...answer, AutoScalingGroups: [group] };
}

export function describeServicesAnswer(desiredCount: number): DescribeServicesCommandOutput {
  const answer = fixture<DescribeServicesCommandOutput>("describe-services");
  return { ...answer, services: [{ ...answer.services![0]!, desiredCount }] };
}

export function describeMissingServiceAnswer(): DescribeServicesCommandOutput {
  return fixture<DescribeServicesCommandOutput>("describe-services-missing");
}
