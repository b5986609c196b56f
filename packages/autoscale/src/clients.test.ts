import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { type SilentEndpoint, startSilentEndpoint } from "@restyled/testkit";
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
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve("still waiting after 5 s"), 5_000);
    });
    const outcome = await Promise.race([
      client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["g"] })).then(
        () => "answered",
        (error: Error) => `failed: ${error.name}`,
      ),
      hung,
    ]);
    clearTimeout(timer);
    client.destroy();
    expect(outcome).toMatch(/^failed: /);
  });
});
