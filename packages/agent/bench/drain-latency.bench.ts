/**
 * Drain latency and idle footprint of the agent, against a real TLS dockerd.
 *
 * Drain latency: from the last `restyler` container exiting (the daemon's
 * FinishedAt) to CompleteLifecycleAction being sent, through the agent's own
 * terminate path (disable, event-driven drain that also reads restyled.io's
 * jobCount, settle window, delete, complete), compared with the earlier
 * agent's loop reimplemented here as the baseline: `docker ps` every 3 s until
 * no restyler runs. The restyled.io stand-in counts the job (jobCount 1) until
 * its container exits, as restyled.io does. Target: every drain within the
 * settle window (5 s, the default) + 300 ms. The baseline has no settle window
 * (it is the race the window closes), so the report gives both the raw ratio
 * and the latency beyond the window against the baseline's polling lag.
 *
 * Idle footprint: resident memory of the built agent serving without a queue,
 * against a bare `node` process as the baseline. Target: < 80 MB.
 *
 *   pnpm --filter @restyled/agent bench        (BENCH_RUNS=10 by default)
 */
import { tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { AutoScalingClient, CompleteLifecycleActionCommand } from "@aws-sdk/client-auto-scaling";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { createRestyledApi } from "@restyled/core/restyled-api";
import { createCertificates, writeCertificates } from "@restyled/init-certificates";
import { connectOverTls, startDockerd, startRestyledApi } from "@restyled/testkit";
import { mockClient } from "aws-sdk-client-mock";
import type Docker from "dockerode";
import { startFauxqs } from "fauxqs";
import type { AgentContext } from "../src/context.js";
import { createDockerClient, readClientCertificates } from "../src/docker/client.js";
import { drainMachine } from "../src/drain/drain-machine.js";
import { completeLifecycleAction } from "../src/lifecycle/actions.js";
import type { LifecycleAction } from "../src/lifecycle/message.js";
import { createAgentLogger } from "../src/logger.js";
import { registerMachine } from "../src/registration/machine.js";
import { startAutoScalingEndpoint } from "../test/autoscaling-endpoint.js";
import { idleRss, mb, median } from "./measure.js";

const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const BASELINE_RUNS = Number(process.env.BENCH_BASELINE_RUNS ?? 10);
const TOKEN = "bench-token";
const SETTLE_MS = 5_000;
const action: LifecycleAction = {
  transition: "terminating",
  hookName: "restyled-machine-bench-terminating",
  groupName: "restyled-machines-bench",
  instanceId: "i-0bbbbbbbbbbbbbbbb",
  token: "bench",
};

const daemon = await startDockerd({
  issueCertificates: async (dir) => {
    await writeCertificates(
      dir,
      await createCertificates({ hosts: ["localhost"], ips: ["127.0.0.1"], keySize: 2048 }),
    );
  },
});
const api = await startRestyledApi({ token: TOKEN });
try {
  const webhooks = await connectOverTls(daemon);
  const certificates = await readClientCertificates(daemon.certPath);
  const autoscaling = new AutoScalingClient({ region: "us-east-1" });
  let completedAt = 0;
  mockClient(autoscaling)
    .on(CompleteLifecycleActionCommand)
    .callsFake(() => {
      completedAt = Date.now();
      return {};
    });
  const log = createAgentLogger({ level: "error" });
  const ctx: AgentContext = {
    config: {
      env: "bench",
      queueUrl: undefined,
      certPath: daemon.certPath,
      dockerHost: daemon.host,
      restyledUrl: api.url,
      restyledToken: TOKEN,
      drainTimeoutMs: 60_000,
      drainSettleMs: SETTLE_MS,
      logGroup: undefined,
      logFlushTimeoutMs: 5_000,
      heartbeatIntervalMs: 10_000,
      instanceId: action.instanceId,
      publicHostname: "127.0.0.1",
      region: "us-east-1",
      relistIntervalMs: 30_000,
      daemonCheckIntervalMs: 15_000,
      retryDelayMs: 100,
      retryAttempts: 3,
      completionTimeoutMs: 10_000,
      pruneIntervalMs: 0,
      tempMaxAgeMs: 43_200_000,
      tempDir: tmpdir(),
      logLevel: "error",
      machineName: `restyled-bench-${action.instanceId}`,
    },
    log,
    certificates,
    docker: createDockerClient(daemon.host, certificates),
    api: createRestyledApi({ baseUrl: api.url, token: TOKEN, attempts: 3, retryDelayMs: 100 }),
    apiOnce: createRestyledApi({ baseUrl: api.url, token: TOKEN }),
    autoscaling,
  };

  const startJob = async (run: number) => {
    const container = await webhooks.createContainer({
      Image: daemon.image,
      // Exits at varied moments relative to any polling phase.
      Cmd: ["sleep", (0.4 + ((run * 7) % 10) / 10).toFixed(1)],
      Labels: { restyler: "", "job-id": String(run) },
      HostConfig: { NetworkMode: "none" },
    });
    await container.start();
    return container;
  };
  const latencyAfterExit = async (container: Docker.Container) => {
    const finished = Date.parse((await container.inspect()).State.FinishedAt);
    await container.remove({ force: true });
    return completedAt - finished;
  };

  // The agent: its terminate path, as Agent runs it.
  const agentLatencies: number[] = [];
  // From the later of the exit and restyled.io's count reaching zero: the
  // moment both are idle, when the settle window can start at the earliest.
  const agentIdleLatencies: number[] = [];
  const restyledLags: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const machine = await registerMachine(ctx);
    // restyled.io counts the job from dispatch until it sees the container exit.
    const counted = api.machines.get(machine.id)!;
    counted.jobCount = 1;
    const container = await startJob(run);
    let zeroAt = 0;
    const finished = container.wait().then(() => {
      counted.jobCount = 0;
      zeroAt = Date.now();
    });
    await drainMachine(ctx, { machine, force: new AbortController().signal });
    await completeLifecycleAction({
      autoscaling,
      action,
      result: "CONTINUE",
      deadlineMs: 10_000,
      log,
    });
    await finished;
    const latency = await latencyAfterExit(container);
    const exitedAt = completedAt - latency;
    agentLatencies.push(latency);
    agentIdleLatencies.push(completedAt - Math.max(exitedAt, zeroAt));
    restyledLags.push(zeroAt - exitedAt);
  }

  // The baseline: the earlier agent's `docker ps` every 3 seconds.
  const baselineLatencies: number[] = [];
  for (let run = 0; run < BASELINE_RUNS; run++) {
    const container = await startJob(run);
    while ((await webhooks.listContainers({ filters: { label: ["restyler"] } })).length > 0) {
      await sleep(3_000);
    }
    completedAt = Date.now();
    baselineLatencies.push(await latencyAfterExit(container));
  }

  const agentArgs = [
    "--env",
    "bench",
    "--instance-id",
    "i-0cccccccccccccccc",
    "--docker-host",
    daemon.host,
    "--cert-path",
    daemon.certPath,
    "--restyled-url",
    api.url,
  ];
  // As on a machine: launched through its LAUNCHING notification, in
  // service, long-polling the lifecycle queue (fauxqs) between checks.
  const queues = await startFauxqs({ port: 0, logger: false });
  const autoscalingEndpoint = await startAutoScalingEndpoint();
  const { queueUrl } = queues.createQueue("bench-lifecycle");
  const sqs = new SQSClient({
    endpoint: queues.address,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify({
        LifecycleHookName: "restyled-machine-bench-launching",
        LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        AutoScalingGroupName: "restyled-machines-bench",
        EC2InstanceId: "i-0cccccccccccccccc",
        LifecycleActionToken: "bench-launch",
      }),
    }),
  );
  const agentRss = await idleRss(
    BIN,
    [...agentArgs, "--queue-url", queueUrl, "--heartbeat-interval", "10m"],
    "machine in service",
    {
      // The SDK sends to the queue URL's host, sqs.REGION.localhost.
      NODE_OPTIONS: `--import=${fileURLToPath(new URL("../test/resolve-localhost.mjs", import.meta.url))}`,
      RESTYLED_API_TOKEN: TOKEN,
      AWS_ENDPOINT_URL_SQS: queues.address,
      AWS_ENDPOINT_URL_AUTO_SCALING: autoscalingEndpoint.url,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "bench",
      AWS_SECRET_ACCESS_KEY: "bench",
    },
  );
  sqs.destroy();
  await queues.stop();
  await autoscalingEndpoint.close();
  if (!autoscalingEndpoint.actions.includes("CompleteLifecycleAction")) {
    throw new Error(`the agent did not complete its launch: ${autoscalingEndpoint.actions}`);
  }
  const nodeRss = await idleRss(
    process.execPath,
    ["-e", `setInterval(() => {}, 1 << 30); console.error('{"msg":"ready"}')`],
    "ready",
  );

  const agentMedian = median(agentLatencies);
  const agentMax = Math.max(...agentLatencies);
  const baselineMedian = median(baselineLatencies);
  const beyondSettle = agentLatencies.map((ms) => ms - SETTLE_MS);
  const idleMax = Math.max(...agentIdleLatencies);
  const results = {
    drain: {
      runs: RUNS,
      settleWindowMs: SETTLE_MS,
      agentMedianMs: agentMedian,
      agentMaxMs: agentMax,
      agentBeyondSettleMedianMs: median(beyondSettle),
      agentBeyondSettleMaxMs: Math.max(...beyondSettle),
      // The stand-in zeroes jobCount when the daemon's wait call returns, as
      // restyled.io does when its `docker run` returns: a lag of its own.
      restyledCountLagMedianMs: median(restyledLags),
      agentFromBothIdleMedianMs: median(agentIdleLatencies),
      agentFromBothIdleMaxMs: idleMax,
      baseline: "docker ps every 3 s (the earlier agent, no settle window)",
      baselineRuns: BASELINE_RUNS,
      baselineMedianMs: baselineMedian,
      baselineMaxMs: Math.max(...baselineLatencies),
      // Raw: agent latency over baseline latency (above 1: the settle window costs time).
      ratioToBaseline: Number((agentMedian / Math.max(baselineMedian, 1)).toFixed(2)),
      // The agent's lag beyond its window against the baseline's polling lag.
      lagRatioToBaseline: Number(
        (Math.max(median(beyondSettle), 1) / Math.max(baselineMedian, 1)).toFixed(3),
      ),
    },
    idleRss: {
      agentMb: mb(agentRss),
      baseline: "bare node process",
      baselineMb: mb(nodeRss),
      ratio: Number((agentRss / nodeRss).toFixed(2)),
    },
  };
  const misses = [
    idleMax > SETTLE_MS + 300 &&
      `drain max ${idleMax} ms (from both idle) is not within the settle window + 300 ms (${SETTLE_MS + 300} ms)`,
    mb(agentRss) >= 80 && `idle RSS ${mb(agentRss)} MB is not under 80 MB`,
  ].filter(Boolean);
  console.log(JSON.stringify(results, null, 2));
  console.log(
    `drain latency: agent median ${agentMedian} ms (max ${agentMax} ms; settle window ${SETTLE_MS} ms, ` +
      `${median(beyondSettle)} ms beyond it; from both idle median ${median(agentIdleLatencies)} ms, max ${idleMax} ms) ` +
      `vs baseline ${baselineMedian} ms: ${results.drain.ratioToBaseline}x raw, ` +
      `${results.drain.lagRatioToBaseline}x lag beyond the window; ` +
      `idle RSS: agent ${mb(agentRss)} MB vs bare node ${mb(nodeRss)} MB (${results.idleRss.ratio}x)`,
  );
  if (misses.length > 0) {
    console.error(`targets missed: ${misses.join("; ")}`);
    process.exitCode = 1;
  }
} finally {
  await api.close();
  await daemon.stop();
}
