import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { type SilentEndpoint, settleWithin, startSilentEndpoint } from "@restyled/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { awsClientConfig } from "./clients.js";

// Stand-in: a loopback TCP endpoint that accepts the connection and never
// answers, like an AWS endpoint behind a broken network path.
let endpoint: SilentEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

async function silentEndpoint(): Promise<string> {
  endpoint = await startSilentEndpoint();
  return endpoint.url;
}

describe("awsClientConfig", () => {
  it("makes an AWS call that never answers fail instead of hanging", async () => {
    const client = new AutoScalingClient({
      ...awsClientConfig({ region: "us-east-1", requestTimeoutMs: 300 }),
      maxAttempts: 1,
      endpoint: await silentEndpoint(),
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
    });
    const outcome = await settleWithin(
      client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["g"] })).then(
        () => "answered",
        (error: Error) => `failed: ${error.name}`,
      ),
      5_000,
    );
    client.destroy();
    expect(outcome).toMatch(/^failed: /);
  });
});
