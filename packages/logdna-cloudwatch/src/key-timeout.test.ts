import { type SilentEndpoint, settleWithin, startSilentEndpoint } from "@restyled/testkit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createKeySource } from "./key.js";

// Stand-in: a loopback TCP endpoint that accepts the connection and never
// answers, like an SSM endpoint behind a broken network path. The key source
// builds its own client, pointed there through the SDK's environment.
let endpoint: SilentEndpoint | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await endpoint?.close();
  endpoint = undefined;
});

async function silentEndpoint(): Promise<string> {
  endpoint = await startSilentEndpoint();
  return endpoint.url;
}

describe("createKeySource without a client", () => {
  it("fails a key read that never answers instead of using up the invocation", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL_SSM", await silentEndpoint());
    vi.stubEnv("AWS_REGION", "us-east-1");
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDTEST");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
    const outcome = await settleWithin(
      createKeySource({ env: "test" })
        .get()
        .then(
          () => "answered",
          (error: Error) => `failed: ${error.message}`,
        ),
      40_000,
    );
    expect(outcome).toMatch(
      /^failed: ssm:GetParameter \/restyled\/test\/logdna-key: AWS( at \S+)? did not answer in time/,
    );
  });
});
