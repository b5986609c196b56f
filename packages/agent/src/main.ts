import { awsClientConfig } from "@restyled/core/aws";
import { ConfigError } from "@restyled/core/errors";
import { createRestyledApi } from "@restyled/core/restyled-api";
import { createShutdown, type SignalTarget } from "@restyled/core/signals";
import { Agent } from "./agent.js";
import type { AgentConfig } from "./config/config.js";
import type { AgentContext } from "./context.js";
import { createDockerClient, readClientCertificates } from "./docker/client.js";
import { flushLogsBeforeCompletion } from "./log-shipping/flush-before-completion.js";
import type { LogShipper } from "./log-shipping/log-shipper.js";
import type { Logger } from "./logger.js";
import { InstanceMetadata } from "./runtime/imds.js";
import { resolveRuntime } from "./runtime/runtime.js";

/**
 * Attempts the SDK's own (standard) retry strategy makes for one call:
 * throttling, 5xx and network errors back off exponentially with jitter. A
 * call's deadline is its abort signal, never a retry loop around it.
 */
export const AWS_MAX_ATTEMPTS = 10;

/** Per-request timeout of the AWS clients; the long poll waits 20 s, so SQS gets more. */
const AWS_REQUEST_TIMEOUT_MS = 30_000;
const SQS_REQUEST_TIMEOUT_MS = 40_000;

/** Builds the real clients from the configuration; starts `shipper` when a log group is set. */
export async function createContext(
  config: AgentConfig,
  log: Logger,
  shipper?: LogShipper,
): Promise<AgentContext> {
  const metadata = new InstanceMetadata({
    endpoint: process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT,
  });
  // The AWS clients are loaded only when used: each costs several MB of
  // resident memory (the SSM client only when the token is not in the environment).
  const { SSMClient } = config.restyledToken
    ? { SSMClient: undefined }
    : await import("@aws-sdk/client-ssm");
  const runtime = await resolveRuntime(config, {
    metadata,
    ssm: (region) => {
      if (!SSMClient) throw new Error("the SSM client was not loaded");
      return new SSMClient(
        awsClientConfig({ region, requestTimeoutMs: AWS_REQUEST_TIMEOUT_MS, logger: log }),
      );
    },
  });
  const certificates = await readClientCertificates(runtime.certPath);
  const restyled = {
    baseUrl: runtime.restyledUrl,
    token: runtime.restyledToken,
    logger: log,
    retryDelayMs: runtime.retryDelayMs,
  };
  const withQueue = runtime.queueUrl !== undefined;
  const aws = withQueue
    ? {
        SQSClient: (await import("@aws-sdk/client-sqs")).SQSClient,
        AutoScalingClient: (await import("@aws-sdk/client-auto-scaling")).AutoScalingClient,
      }
    : undefined;
  const autoscaling = aws
    ? new aws.AutoScalingClient(
        awsClientConfig({
          region: runtime.region,
          requestTimeoutMs: AWS_REQUEST_TIMEOUT_MS,
          maxAttempts: AWS_MAX_ATTEMPTS,
          logger: log,
        }),
      )
    : undefined;
  if (shipper && runtime.logGroup) {
    await startLogShipping(runtime, shipper, log);
    // Every completion (the TERMINATING one above all: the instance goes right
    // after) waits, bounded, for the lines logged so far to be in CloudWatch.
    if (autoscaling) {
      flushLogsBeforeCompletion(autoscaling, {
        shipper,
        timeoutMs: runtime.logFlushTimeoutMs,
        log,
      });
    }
  }
  return {
    config: runtime,
    log,
    certificates,
    docker: createDockerClient(runtime.dockerHost, certificates),
    api: createRestyledApi({ ...restyled, attempts: runtime.retryAttempts }),
    apiOnce: createRestyledApi({ ...restyled, attempts: 1 }),
    sqs: aws
      ? new aws.SQSClient(
          awsClientConfig({
            region: runtime.region,
            requestTimeoutMs: SQS_REQUEST_TIMEOUT_MS,
            maxAttempts: AWS_MAX_ATTEMPTS,
            logger: log,
          }),
        )
      : undefined,
    autoscaling,
  };
}

async function startLogShipping(
  runtime: Awaited<ReturnType<typeof resolveRuntime>>,
  shipper: LogShipper,
  log: Logger,
): Promise<void> {
  if (!runtime.region) {
    throw new ConfigError("--log-group needs the region: give --region (or AWS_REGION)");
  }
  const { CloudWatchLogsClient } = await import("@aws-sdk/client-cloudwatch-logs");
  shipper.start({
    client: new CloudWatchLogsClient(
      awsClientConfig({
        region: runtime.region,
        requestTimeoutMs: AWS_REQUEST_TIMEOUT_MS,
        logger: log,
      }),
    ),
    logGroupName: runtime.logGroup!,
    logStreamName: runtime.instanceId,
  });
  log.info("shipping the agent's log lines", {
    logGroup: runtime.logGroup,
    logStream: runtime.instanceId,
  });
}

/**
 * Runs an agent until it finishes, with the shared signal policy: the first
 * SIGTERM or SIGINT drains; the second forces (stops waiting for jobs, yet
 * still de-registers and completes the lifecycle action), and a watchdog ends
 * the process if even the forced path hangs.
 */
export async function runAgent(
  ctx: AgentContext,
  signals: SignalTarget = process,
  onWatchdog: () => void = () => process.exit(1),
): Promise<boolean> {
  const agent = new Agent(ctx);
  let watchdog: NodeJS.Timeout | undefined;
  const shutdown = createShutdown({
    target: signals,
    logger: ctx.log,
    // A second signal (core's "force") must not kill the process before the
    // lifecycle action is completed: it forces the drain instead.
    exit: () => {
      agent.stop("second signal");
      if (watchdog) return;
      // Time enough for one attempt at each call plus the completion deadline.
      watchdog = setTimeout(() => {
        ctx.log.error("forced stop did not finish in time; exiting");
        onWatchdog();
      }, ctx.config.completionTimeoutMs + 30_000);
      watchdog.unref();
    },
  });
  shutdown.signal.addEventListener("abort", () => agent.stop(String(shutdown.signal.reason)), {
    once: true,
  });
  try {
    return await agent.run();
  } finally {
    shutdown.dispose();
    clearTimeout(watchdog);
  }
}
