import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type HttpStandIn, startHttpStandIn } from "@restyled/testkit";
import { errorXml, memberList, successXml, type XmlObject } from "./xml.js";

export interface StandInInstance {
  id: string;
  lifecycleState: string;
  health: "Healthy" | "Unhealthy";
  protectedFromScaleIn?: boolean;
}

export interface StandInActivity {
  id: string;
  description: string;
  start: Date;
  status: string;
  statusMessage?: string;
}

export interface StandInGroup {
  name: string;
  min: number;
  max: number;
  desired: number;
  instances: StandInInstance[];
  tags: Map<string, string>;
  hooks: Array<{ name: string; transition: string }>;
  /** Newest first, as DescribeScalingActivities answers. */
  activities: StandInActivity[];
  /** The warm pool (AWS::AutoScaling::WarmPool); null: the group has none. */
  warmPool: StandInWarmPool | null;
}

export interface StandInWarmPool {
  minSize: number;
  /** MaxGroupPreparedCapacity; undefined: unset (the group's MaxSize). */
  maxGroupPreparedCapacity?: number;
  poolState: "Stopped" | "Running" | "Hibernated";
  reuseOnScaleIn: boolean;
  status?: "PendingDelete";
  /** Warm pool instances are not group instances: DescribeAutoScalingGroups omits them. */
  instances: Array<{ id: string; lifecycleState: string }>;
}

/** An Auto Scaling call as received (Query form fields). */
export type Call = Record<string, string> & { Action: string };

export interface AutoScalingStandIn extends HttpStandIn {
  groups: Map<string, StandInGroup>;
  calls: Call[];
  /** Actions answered 403 AccessDenied, like a role missing the permission. */
  denied: Set<string>;
  addGroup(group: {
    name: string;
    min?: number;
    max?: number;
    desired?: number;
    instances?: Array<{
      id: string;
      state?: string;
      health?: "Healthy" | "Unhealthy";
      launchedAt?: number;
      terminatingSince?: number;
    }>;
    terminatingHook?: boolean;
    tags?: Record<string, string>;
    warmPool?: Partial<Omit<StandInWarmPool, "instances">> & {
      instances?: Array<{ id: string; state?: string }>;
    };
  }): StandInGroup;
  addActivity(groupName: string, activity: Omit<StandInActivity, "id">): void;
  /** The write actions received, in order. */
  writes(): Call[];
}

const READS = new Set([
  "DescribeAutoScalingGroups",
  "DescribeWarmPool",
  "DescribeLifecycleHooks",
  "DescribeScalingActivities",
]);

class ValidationError extends Error {}

/**
 * A stateful stand-in of the Auto Scaling Query API over loopback HTTP, for
 * the calls autoscale makes, which the real SDK client talks to. As strict as
 * the service where the API reference says so: signed requests only, API
 * version 2011-01-01, DesiredCapacity within MinSize..MaxSize, a lifecycle
 * action completed only for an instance waiting in that hook, a terminate
 * with decrement refused below MinSize, tag values up to 256 characters,
 * MaxRecords up to 100 (DescribeWarmPool: up to 50, paged with NextToken; a
 * group without a warm pool answers without WarmPoolConfiguration).
 * PutWarmPool: MaxGroupPreparedCapacity at least -1 (-1 removes the value),
 * MinSize at least 0, PoolState Stopped|Running|Hibernated, settings not sent
 * left as they are; the pool then holds max(MinSize, (MaxGroupPreparedCapacity
 * or MaxSize) - desired): new instances join it initialising (Warmed:Pending),
 * a surplus is terminated (initialising ones first).
 */
export async function startAutoScalingStandIn(): Promise<AutoScalingStandIn> {
  const groups = new Map<string, StandInGroup>();
  const calls: Call[] = [];
  const denied = new Set<string>();

  const standIn = await startHttpStandIn((request, response) => {
    const form = Object.fromEntries(new URLSearchParams(request.body.toString("utf8")));
    const action = form.Action ?? "";
    calls.push({ ...form, Action: action });
    if (!String(request.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 Credential=")) {
      return send(
        response,
        403,
        errorXml("MissingAuthenticationToken", "Request is missing Authentication Token"),
      );
    }
    if (form.Version !== "2011-01-01") {
      return send(
        response,
        400,
        errorXml("InvalidParameterValue", `Version ${form.Version} is not 2011-01-01`),
      );
    }
    if (denied.has(action)) {
      return send(
        response,
        403,
        errorXml("AccessDenied", `User is not authorized to perform: autoscaling:${action}`),
      );
    }
    try {
      const result = handle(action, form);
      send(response, 200, successXml(action, result));
    } catch (error) {
      if (error instanceof ValidationError)
        return send(response, 400, errorXml("ValidationError", error.message));
      throw error;
    }
  });

  function handle(action: string, form: Record<string, string>): XmlObject | null {
    switch (action) {
      case "DescribeAutoScalingGroups": {
        const names = memberList(form, "AutoScalingGroupNames").map((m) => m[""]!);
        const found = [...groups.values()].filter(
          (g) => names.length === 0 || names.includes(g.name),
        );
        return { AutoScalingGroups: found.map(describeGroup) };
      }
      case "DescribeLifecycleHooks": {
        const group = groupNamed(form.AutoScalingGroupName);
        return {
          LifecycleHooks: group.hooks.map((h) => ({
            LifecycleHookName: h.name,
            AutoScalingGroupName: group.name,
            LifecycleTransition: h.transition,
            HeartbeatTimeout: 3600,
            GlobalTimeout: 172800,
            DefaultResult: "ABANDON",
          })),
        };
      }
      case "DescribeScalingActivities": {
        const group = groupNamed(form.AutoScalingGroupName);
        const max = Number(form.MaxRecords ?? 100);
        if (!Number.isInteger(max) || max < 1 || max > 100) {
          throw new ValidationError(`MaxRecords ${form.MaxRecords} must be between 1 and 100`);
        }
        return {
          Activities: group.activities.slice(0, max).map((a) => ({
            ActivityId: a.id,
            AutoScalingGroupName: group.name,
            Description: a.description,
            Cause: "stand-in",
            StartTime: a.start,
            StatusCode: a.status,
            StatusMessage: a.statusMessage,
            Progress: a.status === "Successful" ? 100 : 50,
          })),
        };
      }
      case "DescribeWarmPool": {
        const group = groupNamed(form.AutoScalingGroupName);
        const max = Number(form.MaxRecords ?? 50);
        if (!Number.isInteger(max) || max < 1 || max > 50) {
          throw new ValidationError(`MaxRecords ${form.MaxRecords} must be between 1 and 50`);
        }
        const pool = group.warmPool;
        if (!pool) return { Instances: [] };
        const from = Number(form.NextToken ?? 0);
        if (!Number.isInteger(from) || from < 0 || from > pool.instances.length) {
          throw new ValidationError(`NextToken ${form.NextToken} is not valid`);
        }
        const page = pool.instances.slice(from, from + max);
        const next = from + max < pool.instances.length ? String(from + max) : undefined;
        return {
          WarmPoolConfiguration: {
            MaxGroupPreparedCapacity: pool.maxGroupPreparedCapacity,
            MinSize: pool.minSize,
            PoolState: pool.poolState,
            Status: pool.status,
            InstanceReusePolicy: { ReuseOnScaleIn: pool.reuseOnScaleIn },
          },
          Instances: page.map((i) => ({
            InstanceId: i.id,
            InstanceType: "t3.medium",
            AvailabilityZone: "us-east-1a",
            LifecycleState: i.lifecycleState,
            HealthStatus: "Healthy",
          })),
          NextToken: next,
        };
      }
      case "PutWarmPool": {
        const group = groupNamed(form.AutoScalingGroupName);
        const prepared = optionalInteger(form, "MaxGroupPreparedCapacity", -1);
        const minSize = optionalInteger(form, "MinSize", 0);
        const state = form.PoolState;
        if (state !== undefined && !["Stopped", "Running", "Hibernated"].includes(state)) {
          throw new ValidationError(
            `PoolState must be Stopped, Running or Hibernated, not ${state}`,
          );
        }
        const reuse = form["InstanceReusePolicy.ReuseOnScaleIn"];
        // PutWarmPool creates a pool on a group without one (autoscale never does that).
        group.warmPool ??= {
          minSize: 0,
          poolState: "Stopped",
          reuseOnScaleIn: false,
          instances: [],
        };
        const pool = group.warmPool;
        if (pool.status === "PendingDelete") {
          throw new ValidationError("The warm pool is pending deletion and cannot be updated");
        }
        if (prepared !== undefined)
          pool.maxGroupPreparedCapacity = prepared === -1 ? undefined : prepared;
        if (minSize !== undefined) pool.minSize = minSize;
        if (state !== undefined) pool.poolState = state as StandInWarmPool["poolState"];
        if (reuse !== undefined) pool.reuseOnScaleIn = reuse === "true";
        settlePool(group);
        return {};
      }
      case "SetInstanceProtection": {
        const group = groupNamed(form.AutoScalingGroupName);
        const ids = memberList(form, "InstanceIds").map((m) => m[""]!);
        if (ids.length < 1 || ids.length > 50) {
          throw new ValidationError(`InstanceIds must hold 1 to 50 instances, not ${ids.length}`);
        }
        if (form.ProtectedFromScaleIn !== "true" && form.ProtectedFromScaleIn !== "false") {
          throw new ValidationError("ProtectedFromScaleIn must be true or false");
        }
        const instances = ids.map((id) => {
          const instance = group.instances.find((i) => i.id === id);
          if (!instance) {
            throw new ValidationError(
              `The instance ${id} is not part of Auto Scaling group ${group.name}`,
            );
          }
          return instance;
        });
        for (const instance of instances) {
          instance.protectedFromScaleIn = form.ProtectedFromScaleIn === "true";
        }
        return null;
      }
      case "SetInstanceHealth": {
        const { instance } = instanceNamed(form.InstanceId);
        if (form.HealthStatus !== "Healthy" && form.HealthStatus !== "Unhealthy") {
          throw new ValidationError(
            `HealthStatus must be Healthy or Unhealthy, not ${form.HealthStatus}`,
          );
        }
        instance.health = form.HealthStatus;
        return null;
      }
      case "CompleteLifecycleAction": {
        const group = groupNamed(form.AutoScalingGroupName);
        const hook = group.hooks.find((h) => h.name === form.LifecycleHookName);
        if (!hook)
          throw new ValidationError(`No Lifecycle Hook found with name ${form.LifecycleHookName}`);
        if (form.LifecycleActionResult !== "CONTINUE" && form.LifecycleActionResult !== "ABANDON") {
          throw new ValidationError(`LifecycleActionResult must be CONTINUE or ABANDON`);
        }
        const waiting = hook.transition.endsWith("TERMINATING")
          ? "Terminating:Wait"
          : "Pending:Wait";
        // A warm pool instance pauses in the Warmed: states (user guide, warm
        // pool lifecycle): a terminating one leaves the pool once completed.
        const pool = group.warmPool?.instances ?? [];
        const pooled = pool.find((i) => i.id === form.InstanceId);
        if (pooled && pooled.lifecycleState === `Warmed:${waiting}`) {
          if (waiting === "Terminating:Wait") pool.splice(pool.indexOf(pooled), 1);
          else pooled.lifecycleState = "Warmed:Stopped";
          return {};
        }
        const instance = group.instances.find((i) => i.id === form.InstanceId);
        if (!instance || instance.lifecycleState !== waiting) {
          throw new ValidationError(
            `No active Lifecycle Action found with instance ID ${form.InstanceId}`,
          );
        }
        if (waiting === "Terminating:Wait")
          group.instances.splice(group.instances.indexOf(instance), 1);
        else
          instance.lifecycleState =
            form.LifecycleActionResult === "CONTINUE" ? "InService" : "Terminating";
        return {};
      }
      case "SetDesiredCapacity": {
        const group = groupNamed(form.AutoScalingGroupName);
        const desired = Number(form.DesiredCapacity);
        if (desired > group.max) {
          throw new ValidationError(
            `New SetDesiredCapacity value ${desired} is above max value ${group.max} for the AutoScalingGroup.`,
          );
        }
        if (desired < group.min) {
          throw new ValidationError(
            `New SetDesiredCapacity value ${desired} is below min value ${group.min} for the AutoScalingGroup.`,
          );
        }
        const present = group.instances.filter((i) => !i.lifecycleState.startsWith("Terminating"));
        for (let n = present.length; n < desired; n += 1) {
          const id = `i-${randomBytes(9).toString("hex").slice(0, 17)}`;
          group.instances.push({ id, lifecycleState: "Pending", health: "Healthy" });
          addActivity(group.name, {
            description: `Launching a new EC2 instance: ${id}`,
            start: new Date(),
            status: "InProgress",
          });
        }
        // Auto Scaling's own pick on scale-in (here: the newest), which autoscale
        // avoids; instances protected from scale-in are never taken.
        const surplus = Math.max(0, present.length - desired);
        const candidates = present.filter((i) => !i.protectedFromScaleIn).reverse();
        for (const instance of candidates.slice(0, surplus)) scaleIn(group, instance);
        group.desired = desired;
        return null;
      }
      case "TerminateInstanceInAutoScalingGroup": {
        const { group, instance } = instanceNamed(form.InstanceId);
        if (instance.lifecycleState.startsWith("Terminating")) {
          throw new ValidationError(`The instance ${instance.id} is already terminating`);
        }
        const decrement = form.ShouldDecrementDesiredCapacity === "true";
        if (decrement && group.desired - 1 < group.min) {
          throw new ValidationError(
            `Currently, desiredCapacity=${group.desired} and minSize=${group.min}. Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
          );
        }
        if (decrement) group.desired -= 1;
        const activity = terminate(group, instance);
        return {
          Activity: {
            ActivityId: activity.id,
            AutoScalingGroupName: group.name,
            Description: activity.description,
            Cause: "stand-in",
            StartTime: activity.start,
            StatusCode: activity.status,
            Progress: 0,
          },
        };
      }
      case "CreateOrUpdateTags": {
        const tags = memberList(form, "Tags");
        if (tags.length === 0) throw new ValidationError("Tags must not be empty");
        for (const tag of tags) {
          if (tag.ResourceType !== "auto-scaling-group") {
            throw new ValidationError(
              `ResourceType must be auto-scaling-group, not ${tag.ResourceType}`,
            );
          }
          const group = groupNamed(tag.ResourceId);
          const key = tag.Key ?? "";
          const value = tag.Value ?? "";
          if (key.length < 1 || key.length > 128)
            throw new ValidationError(`Tag key "${key}" must be 1 to 128 characters`);
          if (value.length > 256)
            throw new ValidationError(`Tag value of ${key} is longer than 256 characters`);
          group.tags.set(key, value);
        }
        return null;
      }
      default:
        throw new ValidationError(`${action} is not supported by this stand-in`);
    }
  }

  function terminate(group: StandInGroup, instance: StandInInstance): StandInActivity {
    const hooked = group.hooks.some((h) => h.transition === "autoscaling:EC2_INSTANCE_TERMINATING");
    if (hooked) instance.lifecycleState = "Terminating:Wait";
    else group.instances.splice(group.instances.indexOf(instance), 1);
    return addActivity(group.name, {
      description: `Terminating EC2 instance: ${instance.id}`,
      start: new Date(),
      status: "InProgress",
    });
  }

  /** A scale-in returns the instance to a warm pool with ReuseOnScaleIn; else it terminates. */
  function scaleIn(group: StandInGroup, instance: StandInInstance): void {
    if (!group.warmPool?.reuseOnScaleIn) {
      terminate(group, instance);
      return;
    }
    const hooked = group.hooks.some((h) => h.transition === "autoscaling:EC2_INSTANCE_TERMINATING");
    group.instances.splice(group.instances.indexOf(instance), 1);
    group.warmPool.instances.push({
      id: instance.id,
      lifecycleState: hooked ? "Warmed:Pending:Wait" : "Warmed:Stopped",
    });
  }

  /** The pool's size after a change to its settings: refilled with initialising instances, or its surplus terminated. */
  function settlePool(group: StandInGroup): void {
    const pool = group.warmPool;
    if (!pool) return;
    const size = Math.max(
      pool.minSize,
      (pool.maxGroupPreparedCapacity ?? group.max) - group.desired,
    );
    while (pool.instances.length < size) {
      pool.instances.push({
        id: `i-${randomBytes(9).toString("hex").slice(0, 17)}`,
        lifecycleState: "Warmed:Pending",
      });
    }
    const surplus = pool.instances.length - size;
    if (surplus > 0) {
      const order = [
        ...pool.instances.filter((i) => i.lifecycleState !== "Warmed:Stopped"),
        ...pool.instances.filter((i) => i.lifecycleState === "Warmed:Stopped"),
      ];
      const gone = new Set(order.slice(0, surplus));
      pool.instances = pool.instances.filter((i) => !gone.has(i));
    }
  }

  function optionalInteger(form: Record<string, string>, name: string, min: number) {
    const text = form[name];
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      throw new ValidationError(`${name} ${text} must be an integer of at least ${min}`);
    }
    return value;
  }

  function groupNamed(name: string | undefined): StandInGroup {
    const group = groups.get(name ?? "");
    if (!group) throw new ValidationError(`Group ${name} not found`);
    return group;
  }

  function instanceNamed(id: string | undefined) {
    for (const group of groups.values()) {
      const instance = group.instances.find((i) => i.id === id);
      if (instance) return { group, instance };
    }
    throw new ValidationError(
      `Instance Id not found - No managed instance found for instance ID: ${id}`,
    );
  }

  function addActivity(groupName: string, activity: Omit<StandInActivity, "id">): StandInActivity {
    const full = { ...activity, id: randomBytes(8).toString("hex") };
    const group = groupNamed(groupName);
    group.activities.push(full);
    group.activities.sort((a, b) => b.start.getTime() - a.start.getTime());
    return full;
  }

  return Object.assign(standIn, {
    groups,
    calls,
    denied,
    addActivity,
    writes: () => calls.filter((c) => !READS.has(c.Action)),
    addGroup(spec: Parameters<AutoScalingStandIn["addGroup"]>[0]): StandInGroup {
      const instances = spec.instances ?? [];
      const group: StandInGroup = {
        name: spec.name,
        min: spec.min ?? 1,
        max: spec.max ?? 5,
        desired:
          spec.desired ??
          instances.filter((i) => !(i.state ?? "").startsWith("Terminating")).length,
        instances: instances.map((i) => ({
          id: i.id,
          lifecycleState: i.state ?? "InService",
          health: i.health ?? "Healthy",
        })),
        tags: new Map(Object.entries(spec.tags ?? {})),
        hooks:
          spec.terminatingHook === false
            ? []
            : [
                {
                  name: `${spec.name}-launching`,
                  transition: "autoscaling:EC2_INSTANCE_LAUNCHING",
                },
                {
                  name: `${spec.name}-terminating`,
                  transition: "autoscaling:EC2_INSTANCE_TERMINATING",
                },
              ],
        activities: [],
        warmPool: spec.warmPool
          ? {
              minSize: spec.warmPool.minSize ?? 0,
              maxGroupPreparedCapacity: spec.warmPool.maxGroupPreparedCapacity,
              poolState: spec.warmPool.poolState ?? "Stopped",
              reuseOnScaleIn: spec.warmPool.reuseOnScaleIn ?? true,
              status: spec.warmPool.status,
              instances: (spec.warmPool.instances ?? []).map((i) => ({
                id: i.id,
                lifecycleState: i.state ?? "Warmed:Stopped",
              })),
            }
          : null,
      };
      groups.set(group.name, group);
      for (const i of instances) {
        if (i.launchedAt !== undefined) {
          addActivity(group.name, {
            description: `Launching a new EC2 instance: ${i.id}`,
            start: new Date(i.launchedAt),
            status: "Successful",
          });
        }
        if (i.terminatingSince !== undefined) {
          addActivity(group.name, {
            description: `Terminating EC2 instance: ${i.id}`,
            start: new Date(i.terminatingSince),
            status: "InProgress",
          });
        }
      }
      return group;
    },
  });

  function describeGroup(group: StandInGroup): XmlObject {
    return {
      AutoScalingGroupName: group.name,
      AutoScalingGroupARN: `arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:00000000-0000-4000-8000-000000000000:autoScalingGroupName/${group.name}`,
      MinSize: group.min,
      MaxSize: group.max,
      DesiredCapacity: group.desired,
      DefaultCooldown: 300,
      AvailabilityZones: ["us-east-1a"],
      HealthCheckType: "EC2",
      HealthCheckGracePeriod: 300,
      CreatedTime: new Date("2026-01-01T00:00:00Z"),
      Instances: group.instances.map((i) => ({
        InstanceId: i.id,
        InstanceType: "t3.medium",
        AvailabilityZone: "us-east-1a",
        LifecycleState: i.lifecycleState,
        HealthStatus: i.health,
        ProtectedFromScaleIn: i.protectedFromScaleIn === true,
      })),
      Tags: [...group.tags].map(([Key, Value]) => ({
        ResourceId: group.name,
        ResourceType: "auto-scaling-group",
        Key,
        Value,
        PropagateAtLaunch: false,
      })),
    };
  }
}

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "content-type": "text/xml" });
  response.end(body);
}
