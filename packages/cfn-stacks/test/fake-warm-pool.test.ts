import { describe, expect, it } from "vitest";
import {
  createChangeSet,
  deployed,
  execute,
  params,
  settledChangeSet,
  useFakeCloudFormation,
} from "./fake-client.js";

// A warm pool's values and group are checked by Auto Scaling, not by the
// template's reading: CloudFormation accepts the change set, then the pool
// fails as it is created and the stack rolls back. The fake does the same,
// with the values the stack is given, so a deploy test cannot pass where
// the service would fail.

const h = useFakeCloudFormation();

const pool = `
Parameters:
  Environment:
    Type: String
  PoolMinSize:
    Type: Number
    Default: 0
  PoolState:
    Type: String
    Default: Stopped
  PoolEnabled:
    Type: String
    Default: "true"
Conditions:
  PoolOn: !Equals [!Ref PoolEnabled, "true"]
Resources:
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      AutoScalingGroupName: !Ref Environment
      MinSize: "0"
      MaxSize: "2"
  Pool:
    Type: AWS::AutoScaling::WarmPool
    Condition: PoolOn
    Properties:
      AutoScalingGroupName: !Ref Group
      PoolState: !Ref PoolState
      MinSize: !Ref PoolMinSize
      InstanceReusePolicy:
        ReuseOnScaleIn: true
`;

describe("the fake CloudFormation fails a warm pool Auto Scaling refuses", () => {
  it("creates a pool within the API's constraints", async () => {
    await deployed("s", pool, params({ Environment: "t", PoolMinSize: "2" }));
  });

  it.each([
    [
      { PoolMinSize: "-1" },
      "Value '-1' at 'minSize' failed to satisfy constraint: Member must have value greater than or equal to 0",
    ],
    [
      { PoolState: "Frozen" },
      "Value 'Frozen' at 'poolState' failed to satisfy constraint: Member must satisfy enum value set: [Stopped, Running, Hibernated]",
    ],
  ])(
    "accepts the change set for %j, then fails the pool and rolls back",
    async (values, reason) => {
      await createChangeSet("s", pool, params({ Environment: "t", ...values }));
      expect((await settledChangeSet("s")).Status).toBe("CREATE_COMPLETE");
      const { status, reasons } = await execute("s");
      expect(status).toBe("ROLLBACK_COMPLETE");
      expect(reasons).toContain(
        `Resource handler returned message: "1 validation error detected: ${reason}" (HandlerErrorCode: InvalidRequest)`,
      );
      expect(reasons).toContain("The following resource(s) failed to create: [Pool].");
    },
  );

  it("creates no pool, and so fails nothing, when its condition is false", async () => {
    await deployed(
      "s",
      pool,
      params({ Environment: "t", PoolEnabled: "false", PoolMinSize: "-1" }),
    );
  });

  it("fails an update that gives the pool a value out of range, keeping the stack's values", async () => {
    await deployed("s", pool, params({ Environment: "t" }));
    await createChangeSet("s", pool, params({ Environment: "t", PoolMinSize: "-5" }), {
      ChangeSetType: "UPDATE",
    });
    const { status, reasons } = await execute("s");
    expect(status).toBe("UPDATE_ROLLBACK_COMPLETE");
    expect(reasons.join("\n")).toContain("Value '-5' at 'minSize'");
    expect(h.cfn.stacks.get("s")?.Parameters).toContainEqual({
      ParameterKey: "PoolMinSize",
      ParameterValue: "0",
    });
  });

  it("fails a pool on a group with a mixed instances policy", async () => {
    const mixed = pool.replace(
      '      MaxSize: "2"\n',
      '      MaxSize: "2"\n      MixedInstancesPolicy:\n        LaunchTemplate:\n          LaunchTemplateSpecification:\n            LaunchTemplateId: lt-0123456789abcdef0\n            Version: "1"\n',
    );
    expect(mixed).not.toBe(pool);
    await createChangeSet("s", mixed, params({ Environment: "t" }));
    const { status, reasons } = await execute("s");
    expect(status).toBe("ROLLBACK_COMPLETE");
    expect(reasons.join("\n")).toMatch(/mixed instances policy .* Spot Instances/);
  });
});
