import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { awsClientConfig } from "@restyled/core/aws";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { completeLifecycleAction } from "../src/lifecycle/actions.js";
import type { LifecycleAction } from "../src/lifecycle/message.js";
import { createAgentLogger } from "../src/logger.js";
import { AWS_MAX_ATTEMPTS } from "../src/main.js";
import { type AutoScalingEndpoint, startAutoScalingEndpoint } from "./autoscaling-endpoint.js";

// Auto Scaling is a Query-protocol stand-in over loopback HTTP, so the SDK's
// whole middleware stack runs, its retry strategy included (a mocked client
// would skip it).
const action: LifecycleAction = {
  transition: "terminating",
  hookName: "restyled-machine-test-terminating",
  groupName: "restyled-machines-test",
  instanceId: "i-0598c7d356eba48d7",
  token: "5b8e1c2a-0d7f-4e3b-9a61-2f4c8d0e7a13",
};
const THROTTLED = {
  method: "POST",
  status: 400,
  headers: { "content-type": "text/xml" },
  body: "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>x</RequestId></ErrorResponse>",
};

let endpoint: AutoScalingEndpoint;
let client: AutoScalingClient;
beforeEach(async () => {
  endpoint = await startAutoScalingEndpoint();
  // The agent's own client settings.
  client = new AutoScalingClient({
    ...awsClientConfig({
      region: "us-east-1",
      requestTimeoutMs: 30_000,
      maxAttempts: AWS_MAX_ATTEMPTS,
    }),
    endpoint: endpoint.url,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
  });
});
afterEach(async () => {
  client.destroy();
  await endpoint.close();
});

function logs() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    log: createAgentLogger({ level: "debug", write: (l) => lines.push(JSON.parse(l)) }),
  };
}

describe("completeLifecycleAction with the SDK's own retries", () => {
  it("rides out throttling through the client's retry strategy, one call from the agent", async () => {
    endpoint.injectFailure({ ...THROTTLED, times: 2 });
    const { log, lines } = logs();
    const outcome = await completeLifecycleAction({
      autoscaling: client,
      action,
      result: "CONTINUE",
      deadlineMs: 60_000,
      log,
    });
    expect(outcome).toBe("completed");
    // Two throttled, then accepted: every request reached the stand-in.
    expect(endpoint.requests).toHaveLength(3);
    expect(endpoint.actions).toEqual(["CompleteLifecycleAction"]);
    expect(lines.at(-1)).toMatchObject({ msg: "lifecycle action completed", attempts: 3 });
  });

  it("stops at its deadline while Auto Scaling keeps throttling", async () => {
    endpoint.injectFailure({ ...THROTTLED, times: 10_000 });
    const { log, lines } = logs();
    const outcome = await completeLifecycleAction({
      autoscaling: client,
      action,
      result: "CONTINUE",
      deadlineMs: 500,
      log,
    });
    expect(outcome).toBe("failed");
    expect(lines.at(-1)).toMatchObject({
      level: "error",
      msg: "could not complete the lifecycle action before its deadline",
    });
  });

  it("reports an action the hook timed out on as expired, without retrying", async () => {
    endpoint.expire(action.token);
    const { log, lines } = logs();
    const outcome = await completeLifecycleAction({
      autoscaling: client,
      action,
      result: "CONTINUE",
      deadlineMs: 60_000,
      log,
    });
    expect(outcome).toBe("expired");
    expect(endpoint.actions).toEqual(["CompleteLifecycleAction"]);
    expect(lines.at(-1)).toMatchObject({
      level: "error",
      msg: "the lifecycle action had expired: Auto Scaling no longer knows it",
    });
  });
});
