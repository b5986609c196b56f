import { AutoScalingClient, CompleteLifecycleActionCommand } from "@aws-sdk/client-auto-scaling";
import { type SilentEndpoint, settleWithin, startSilentEndpoint } from "@restyled/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { completeLifecycleAction } from "./lifecycle-actions.js";
import { createLogger } from "./logger.js";
import { awsRequestHandler } from "./main.js";

// Stand-in: a TCP endpoint that accepts the connection and never answers,
// like an AWS endpoint behind a broken network path.
let endpoint: SilentEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

async function silentEndpoint(): Promise<string> {
  endpoint = await startSilentEndpoint();
  return endpoint.url;
}

describe("awsRequestHandler", () => {
  it("makes an AWS call that never answers fail after the request timeout", async () => {
    const client = new AutoScalingClient({
      region: "us-east-1",
      endpoint: await silentEndpoint(),
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
      maxAttempts: 1,
      requestHandler: awsRequestHandler(300),
    });
    const call = client.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: "group",
        LifecycleHookName: "hook",
        InstanceId: "i-0123456789abcdef0",
        LifecycleActionResult: "CONTINUE",
      }),
    );
    const outcome = await settleWithin(
      call.then(
        () => "answered",
        (error: Error) => error.name,
      ),
      5_000,
    );
    client.destroy();
    expect(outcome).toBe("TimeoutError");
  });
});

describe("completeLifecycleAction against an endpoint that never answers", () => {
  it("gives up at its own deadline, not after the request timeout", async () => {
    // The agent's own request handler: a single attempt may wait 30 s.
    const client = new AutoScalingClient({
      region: "us-east-1",
      endpoint: await silentEndpoint(),
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
      maxAttempts: 1,
      requestHandler: awsRequestHandler(30_000),
    });
    const lines: string[] = [];
    const completion = completeLifecycleAction({
      autoscaling: client,
      action: {
        transition: "terminating",
        hookName: "restyled-machine-test-terminating",
        groupName: "restyled-machines-test",
        instanceId: "i-0598c7d356eba48d7",
        token: "c4d2a1e0-9f55-4f0e-8d4c-3c1b2a7e9f10",
      },
      result: "CONTINUE",
      deadlineMs: 300,
      log: createLogger({ level: "error", write: (line) => lines.push(JSON.parse(line).msg) }),
    });
    const outcome = await settleWithin(completion, 5_000);
    client.destroy();
    expect(outcome).toBe("failed");
    expect(lines).toEqual(["could not complete the lifecycle action before its deadline"]);
  });
});
