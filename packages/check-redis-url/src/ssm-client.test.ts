import { SSMClient } from "@aws-sdk/client-ssm";
import { awsClientConfig } from "@restyled/core/aws";
import { type SilentEndpoint, settleWithin, startSilentEndpoint } from "@restyled/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { readParameter } from "./ssm.js";

// Stand-in: a loopback TCP endpoint that accepts the connection and never
// answers, like an SSM endpoint behind a broken network path.
let endpoint: SilentEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

async function silentEndpoint(): Promise<string> {
  endpoint = await startSilentEndpoint();
  return endpoint.url;
}

describe("the SSM client with the shared AWS settings", () => {
  it("makes an SSM call that never answers fail instead of hanging the run", async () => {
    const client = new SSMClient({
      ...awsClientConfig({ region: "us-east-1", requestTimeoutMs: 300, maxAttempts: 1 }),
      endpoint: await silentEndpoint(),
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
    });
    const outcome = await settleWithin(
      readParameter(client, "/restyled/test/redis-url").then(
        () => "answered",
        (error: Error) => `failed: ${error.message}`,
      ),
      5_000,
    );
    client.destroy();
    expect(outcome).toMatch(
      /^failed: ssm:GetParameter \/restyled\/test\/redis-url: AWS .*did not answer in time/,
    );
  });
});
