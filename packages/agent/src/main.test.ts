import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { awsClientConfig } from "@restyled/core/aws";
import { type SilentEndpoint, settleWithin, startSilentEndpoint } from "@restyled/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { completeLifecycleAction } from "./lifecycle/actions.js";
import { createAgentLogger } from "./logger.js";
import { AWS_MAX_ATTEMPTS } from "./main.js";

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

describe("completeLifecycleAction against an endpoint that never answers", () => {
  it("gives up at its own deadline, not after the request timeout", async () => {
    // The agent's own client settings: a single attempt may wait 30 s, and the
    // SDK would retry it AWS_MAX_ATTEMPTS times.
    const client = new AutoScalingClient({
      ...awsClientConfig({
        region: "us-east-1",
        requestTimeoutMs: 30_000,
        maxAttempts: AWS_MAX_ATTEMPTS,
      }),
      endpoint: await silentEndpoint(),
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
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
      log: createAgentLogger({ level: "error", write: (line) => lines.push(JSON.parse(line).msg) }),
    });
    const outcome = await settleWithin(completion, 5_000);
    client.destroy();
    expect(outcome).toBe("failed");
    expect(lines).toEqual(["could not complete the lifecycle action before its deadline"]);
  });
});
