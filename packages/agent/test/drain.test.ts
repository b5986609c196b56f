import { randomBytes } from "node:crypto";
import { connectOverTls } from "@restyled/testkit";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDockerClient, readClientCertificates } from "../src/docker/client.js";
import { waitForRestylers } from "../src/drain/wait-for-idle.js";
import { createAgentLogger } from "../src/logger.js";
import { finishedAt, removeTestContainers } from "./harness.js";

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
    const daemon = inject("docker");
    const agentDocker = createDockerClient(
      `tcp://127.0.0.1:${daemon.port}`,
      await readClientCertificates(daemon.certPath),
    );
    const result = await waitForRestylers({
      docker: agentDocker,
      timeoutMs: 60_000,
      relistIntervalMs: 60_000,
      signal: AbortSignal.abort(),
      log: createAgentLogger({ level: "error", write: () => undefined }),
    });
    expect(result).toMatchObject({ drained: false, reason: "aborted" });
    expect(result.remaining.map((r) => r.jobId)).toEqual(["901"]);
  });
});

describe("waitForRestylers with the agent's Docker client", () => {
  it("keeps following events through a job that runs longer than the client timeout", async () => {
    const daemon = inject("docker");
    // The drain waits for every restyler: none from the test above may still run.
    await removeTestContainers(docker, testId);
    // The agent's own client, with a 1 s timeout instead of 10 s so the test is short.
    const agentDocker = createDockerClient(
      `tcp://127.0.0.1:${daemon.port}`,
      await readClientCertificates(daemon.certPath),
      1_000,
    );
    const container = await docker.createContainer({
      Image: daemon.image,
      Cmd: ["sleep", "4"],
      Labels: { restyler: "", "job-id": "902", "agent-test": testId },
      HostConfig: { NetworkMode: "none" },
    });
    await container.start();
    const warnings: string[] = [];
    const result = await waitForRestylers({
      docker: agentDocker,
      timeoutMs: 30_000,
      relistIntervalMs: 60_000,
      log: createAgentLogger({
        level: "warn",
        write: (line) => warnings.push(JSON.parse(line).msg),
      }),
    });
    const drainedAt = Date.now();
    expect(result).toMatchObject({ drained: true, reason: "drained" });
    expect(warnings).toEqual([]);
    // Seen through the event stream, not the next relist (60 s away); a
    // reconnect would have logged a warning.
    expect(drainedAt - (await finishedAt(container))).toBeLessThan(30_000);
  });
});
