import { describe, expect, it } from "vitest";
import type { FleetInstance, FleetSnapshot, RegistryMachine } from "./fleet.js";
import { planReconcile } from "./plan.js";
import { DEFAULT_RECONCILE } from "./settings.js";

const NOW = Date.parse("2026-03-02T12:00:00Z");
const MIN = 60_000;
const ENV = "test";

function instance(id: string, fields: Partial<FleetInstance> = {}): FleetInstance {
  return {
    id,
    lifecycleState: "InService",
    healthy: true,
    launchedAt: NOW - 60 * MIN,
    terminatingSince: null,
    ...fields,
  };
}

function machine(
  id: number,
  instanceId: string,
  fields: Partial<RegistryMachine> = {},
): RegistryMachine {
  return { id, name: `restyled-${ENV}-${instanceId}`, enabled: true, jobs: 0, ...fields };
}

function snapshot(fields: Partial<FleetSnapshot>): FleetSnapshot {
  return {
    now: NOW,
    environment: ENV,
    desired: fields.instances?.length ?? 0,
    instances: [],
    machines: [],
    terminatingHook: "restyled-machine-test-terminating",
    launchFailure: null,
    ...fields,
  };
}

const plan = (s: FleetSnapshot, disabledSince: Record<string, number> = {}) =>
  planReconcile(s, DEFAULT_RECONCILE, { disabledSince });

describe("planReconcile", () => {
  it("does nothing for a healthy fleet, and counts it as serving", () => {
    const result = plan(
      snapshot({
        instances: [instance("i-0a"), instance("i-0b")],
        machines: [machine(1, "i-0a", { jobs: 2 }), machine(2, "i-0b")],
      }),
    );
    expect(result.actions).toEqual([]);
    expect(result.stuckLaunches).toEqual([]);
    expect(result.capacity.serving.map((s) => [s.instanceId, s.jobs, s.machineId])).toEqual([
      ["i-0a", 2, 1],
      ["i-0b", 0, 2],
    ]);
  });

  it("marks an instance Unhealthy when it has no machine past the boot grace", () => {
    const result = plan(
      snapshot({ instances: [instance("i-0a", { launchedAt: NOW - 11 * MIN })] }),
    );
    expect(result.actions).toEqual([
      {
        kind: "mark-unhealthy",
        instanceId: "i-0a",
        reason: expect.stringMatching(
          /in service 11m after launch with no machine restyled-test-i-0a registered \(boot grace 10m\)/,
        ),
      },
    ]);
    expect(result.capacity).toMatchObject({ serving: [], coming: 1 });
  });

  it("leaves an instance without a machine alone inside the boot grace, as capacity on its way", () => {
    const result = plan(snapshot({ instances: [instance("i-0a", { launchedAt: NOW - 9 * MIN })] }));
    expect(result.actions).toEqual([]);
    expect(result.capacity).toMatchObject({ serving: [], coming: 1 });
  });

  it("starts the disabled clock when a machine is first seen disabled, without acting", () => {
    const result = plan(
      snapshot({
        instances: [instance("i-0a")],
        machines: [machine(1, "i-0a", { enabled: false })],
      }),
    );
    expect(result.actions).toEqual([]);
    expect(result.disabledSince).toEqual({ "i-0a": NOW });
    expect(result.capacity).toMatchObject({ serving: [], idleUnusable: 1 });
  });

  it("marks an instance Unhealthy once its machine stayed disabled past the grace", () => {
    const result = plan(
      snapshot({
        instances: [instance("i-0a")],
        machines: [machine(1, "i-0a", { enabled: false })],
      }),
      { "i-0a": NOW - 6 * MIN },
    );
    expect(result.actions).toEqual([
      expect.objectContaining({
        kind: "mark-unhealthy",
        instanceId: "i-0a",
        reason: expect.stringMatching(/disabled for 6m \(grace 5m\)/),
      }),
    ]);
    expect(result.disabledSince).toEqual({});
  });

  it("forgets the disabled clock of a machine that recovered inside the grace", () => {
    const result = plan(
      snapshot({ instances: [instance("i-0a")], machines: [machine(1, "i-0a")] }),
      {
        "i-0a": NOW - 4 * MIN,
      },
    );
    expect(result.actions).toEqual([]);
    expect(result.disabledSince).toEqual({});
    expect(result.capacity.serving).toHaveLength(1);
  });

  it("replaces at most one instance per run", () => {
    const old = NOW - 30 * MIN;
    const result = plan(
      snapshot({
        instances: [instance("i-0a", { launchedAt: old }), instance("i-0b", { launchedAt: old })],
      }),
    );
    expect(result.actions.map((a) => a.kind)).toEqual(["mark-unhealthy"]);
    expect(result.notes).toEqual([expect.stringMatching(/^i-0b: .*left for a later run/)]);
  });

  it("de-registers a machine of this environment whose instance left the group, and no other", () => {
    const result = plan(
      snapshot({
        instances: [instance("i-0a")],
        machines: [
          machine(1, "i-0a"),
          machine(2, "i-0dead"),
          { id: 3, name: "restyled-prod-i-0b", enabled: true, jobs: 0 },
          { id: 4, name: "hand-made", enabled: true, jobs: 0 },
        ],
      }),
    );
    expect(result.actions).toEqual([
      {
        kind: "deregister",
        machineId: 2,
        name: "restyled-test-i-0dead",
        reason: "instance i-0dead is no longer in the group",
      },
    ]);
  });

  it.each([
    ["no machine", undefined],
    ["a disabled machine with no jobs", { enabled: false, jobs: 0 }],
  ])(
    "completes the lifecycle action of a waiting termination with %s past drain + grace",
    (_, fields) => {
      const result = plan(
        snapshot({
          instances: [
            instance("i-0a", {
              lifecycleState: "Terminating:Wait",
              terminatingSince: NOW - 21 * MIN,
            }),
          ],
          machines: fields ? [machine(1, "i-0a", fields)] : [],
        }),
      );
      expect(result.actions).toEqual([
        {
          kind: "complete-lifecycle-action",
          instanceId: "i-0a",
          hook: "restyled-machine-test-terminating",
          reason: expect.stringMatching(
            /terminating for 21m \(drain timeout 15m \+ grace 5m\) .*its agent is gone/,
          ),
        },
      ]);
      expect(result.capacity.draining).toBe(1);
    },
  );

  it.each([
    ["inside drain + grace", NOW - 19 * MIN, { enabled: false, jobs: 0 }],
    ["while the machine still runs jobs", NOW - 40 * MIN, { enabled: false, jobs: 1 }],
    ["while the machine is enabled", NOW - 40 * MIN, { enabled: true, jobs: 0 }],
    ["when the start of the termination is unknown", null, { enabled: false, jobs: 0 }],
  ])("leaves a waiting termination to its agent %s", (_, since, fields) => {
    const result = plan(
      snapshot({
        instances: [
          instance("i-0a", { lifecycleState: "Terminating:Wait", terminatingSince: since }),
        ],
        machines: [machine(1, "i-0a", fields)],
      }),
    );
    expect(result.actions).toEqual([]);
  });

  it("reports a launch not in service within the bound, and a shortfall after a failed launch", () => {
    const result = plan(
      snapshot({
        desired: 3,
        instances: [
          instance("i-0a", { lifecycleState: "Pending:Wait", launchedAt: NOW - 16 * MIN }),
          instance("i-0b"),
        ],
        machines: [machine(2, "i-0b")],
        launchFailure: {
          at: NOW - 2 * MIN,
          status: "Failed",
          message: "InsufficientInstanceCapacity",
        },
      }),
    );
    expect(result.stuckLaunches).toEqual([
      { instanceId: "i-0a", reason: "i-0a launched 16m ago and is still Pending:Wait (bound 15m)" },
      {
        instanceId: null,
        reason:
          "1 instance(s) short of desired 3; the latest launch failed 2m ago: InsufficientInstanceCapacity",
      },
    ]);
    expect(result.actions).toEqual([]);
  });

  it("without the registry, reconciles nothing but still reports stuck launches", () => {
    const result = plan(
      snapshot({
        machines: null,
        instances: [
          instance("i-0a", { launchedAt: NOW - 50 * MIN }),
          instance("i-0b", {
            lifecycleState: "Terminating:Wait",
            terminatingSince: NOW - 50 * MIN,
          }),
          instance("i-0c", { lifecycleState: "Pending", launchedAt: NOW - 20 * MIN }),
        ],
      }),
    );
    expect(result.actions).toEqual([]);
    expect(result.stuckLaunches).toHaveLength(1);
    expect(result.capacity).toMatchObject({ coming: 1, draining: 1 });
    expect(result.capacity.serving.map((s) => s.instanceId)).toEqual(["i-0a"]);
  });
});
