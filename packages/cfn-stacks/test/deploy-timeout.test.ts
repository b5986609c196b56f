import { fileURLToPath } from "node:url";
import { silentLogger } from "@restyled/core/logger";
import {
  type SilentEndpoint,
  settleWithin,
  startSilentEndpoint,
} from "@restyled/testkit/silent-endpoint";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../src/cli.js";
import { captureOutput } from "../src/output.js";

// Real: the AWS SDK's CloudFormation client and HTTP handler, talking to a
// loopback endpoint that accepts connections and never answers (testkit).
// No mock: this is the client deploy really builds.
const fixtureStacks = fileURLToPath(new URL("./fixtures/workspace/stacks", import.meta.url));

let silent: SilentEndpoint;
beforeEach(async () => {
  silent = await startSilentEndpoint();
  // Credentials for signing only; the SDK reads them from the environment.
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "secret-for-signing-only");
  vi.stubEnv("AWS_PROFILE", "");
  vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/config");
  vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await silent.close();
});

describe("an AWS endpoint that never answers", () => {
  it("fails deploy with exit 69 naming the call, instead of hanging", async () => {
    const out = captureOutput();
    const errors: string[] = [];
    const code = settleWithin(
      runCli(
        [
          "deploy",
          "plain",
          "--env",
          "test",
          "--yes",
          "--region",
          "us-east-1",
          "--request-timeout",
          "500ms",
          "--stacks-dir",
          fixtureStacks,
        ],
        {
          out,
          logger: silentLogger(),
          printError: (line) => errors.push(line),
          env: { AWS_ENDPOINT_URL: silent.url },
        },
      ),
      // A hang guard only: three attempts of 500 ms and the SDK's backoff take seconds.
      60_000,
    );
    expect(await code).toBe(69);
    expect(errors).toEqual([
      "restyled-stacks: cloudformation:DescribeStacks: AWS did not answer in time (@smithy/node-http-handler - [ERROR] a request has exceeded the configured 500 ms requestTimeout.)",
    ]);
  });

  it("refuses a request timeout that is not a duration, before any AWS call", async () => {
    const errors: string[] = [];
    const code = await runCli(
      [
        "deploy",
        "plain",
        "--env",
        "test",
        "--request-timeout",
        "soon",
        "--stacks-dir",
        fixtureStacks,
      ],
      { out: captureOutput(), logger: silentLogger(), printError: (l) => errors.push(l), env: {} },
    );
    expect(code).toBe(64);
    expect(errors).toEqual([
      'restyled-stacks: --request-timeout: "soon" is not a duration (like 500ms, 90s, 15m, 1h30m or 2d; a bare number is seconds)',
    ]);
  });
});
