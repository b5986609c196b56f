import { randomBytes } from "node:crypto";
import { connectOverTls } from "@restyled/testkit";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { waitForRestylers } from "../src/drain.js";
import { createLogger } from "../src/logger.js";
import { removeTestContainers } from "./harness.js";

// A real restyler container on the shared TLS dockerd.
const testId = randomBytes(4).toString("hex");
let docker: Docker;
beforeAll(async () => {
  docker = await connectOverTls(inject("docker"));
});
afterAll(() => removeTestContainers(docker, testId));

describe("waitForRestylers", () => {
  it("names the jobs still running when stopped before its first list came back", async () => {
    const container = await docker.createContainer({
      Image: inject("docker").image,
      Cmd: ["sleep", "60"],
      Labels: { restyler: "", "job-id": "901", "agent-test": testId },
      HostConfig: { NetworkMode: "none" },
    });
    await container.start();
    const result = await waitForRestylers({
      docker,
      timeoutMs: 60_000,
      relistIntervalMs: 60_000,
      signal: AbortSignal.abort(),
      log: createLogger({ level: "error", write: () => undefined }),
    });
    expect(result).toMatchObject({ drained: false, reason: "aborted" });
    expect(result.remaining.map((r) => r.jobId)).toEqual(["901"]);
  });
});
