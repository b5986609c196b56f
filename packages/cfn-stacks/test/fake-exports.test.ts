import { DeleteStackCommand } from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import {
  createChangeSet,
  deployed,
  execute,
  params,
  settle,
  settledChangeSet,
  useFakeCloudFormation,
} from "./fake-client.js";

// The fake keeps exports and imports as CloudFormation does across the stacks
// of an account and region.

const h = useFakeCloudFormation();
const client = h.client;

const network = `
Parameters:
  Environment:
    Type: String
    AllowedPattern: "^[a-z][a-z0-9-]{0,30}$"
Resources:
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  TopicArn:
    Value: !Ref Topic
    Export:
      Name: !Sub "fixture-\${Environment}-TopicArn"
`;

const consumer = `
Parameters:
  Environment:
    Type: String
Resources:
  Subscription:
    Type: AWS::SNS::Subscription
    Properties:
      Protocol: email
      Endpoint: ops@example.com
      TopicArn: !ImportValue
        Fn::Sub: "fixture-\${Environment}-TopicArn"
`;

describe("the fake CloudFormation keeps exports and imports consistent across stacks", () => {
  it("fails the change set of an import no other stack exports", async () => {
    await createChangeSet("consumer", consumer, params({ Environment: "test" }));
    const described = await settledChangeSet("consumer");
    expect(described.Status).toBe("FAILED");
    expect(described.StatusReason).toBe("No export named fixture-test-TopicArn found");
  });

  it("accepts an import once another stack exports it", async () => {
    await deployed("network", network, params({ Environment: "test" }));
    await deployed("consumer", consumer, params({ Environment: "test" }));
    expect(h.cfn.stacks.get("consumer")?.accepted?.imports).toEqual(["fixture-test-TopicArn"]);
  });

  it("rolls back a stack exporting a name another stack already exports", async () => {
    await deployed("network", network, params({ Environment: "test" }));
    await createChangeSet("copy", network, params({ Environment: "test" }));
    expect(await execute("copy")).toEqual({
      status: "ROLLBACK_COMPLETE",
      reasons: expect.arrayContaining([
        "Export with name fixture-test-TopicArn is already exported by stack network",
      ]),
    });
  });

  it("rolls back an update removing an export another stack imports, keeping the export", async () => {
    await deployed("network", network, params({ Environment: "test" }));
    await deployed("consumer", consumer, params({ Environment: "test" }));
    const withoutExport = network.slice(0, network.indexOf("Outputs:"));
    await createChangeSet("network", withoutExport, params({ Environment: "test" }), {
      ChangeSetType: "UPDATE",
    });
    h.cfn.nextExecution = { steps: [], final: "UPDATE_COMPLETE" };
    expect(await execute("network")).toEqual({
      status: "UPDATE_ROLLBACK_COMPLETE",
      reasons: expect.arrayContaining([
        "Export fixture-test-TopicArn cannot be deleted as it is in use by consumer",
      ]),
    });
    expect(h.cfn.stacks.get("network")?.accepted?.exports).toEqual(["fixture-test-TopicArn"]);
  });

  it("fails to delete a stack whose export another stack imports", async () => {
    await deployed("network", network, params({ Environment: "test" }));
    await deployed("consumer", consumer, params({ Environment: "test" }));
    await client.send(new DeleteStackCommand({ StackName: "network" }));
    expect(await settle("network")).toEqual({
      status: "DELETE_FAILED",
      reasons: expect.arrayContaining([
        "Export fixture-test-TopicArn cannot be deleted as it is in use by consumer",
      ]),
    });
  });

  it("seeds an existing stack's exports from its template", async () => {
    h.cfn.addStack({
      StackName: "network",
      StackStatus: "CREATE_COMPLETE",
      Parameters: params({ Environment: "prod" }),
      template: network,
    });
    await deployed("consumer", consumer, params({ Environment: "prod" }));
  });
});
