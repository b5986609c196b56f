import { Agent } from "./agent.js";
import type { AgentConfig } from "./config.js";
import type { AgentContext } from "./context.js";
import { createDockerClient, readClientCertificates } from "./docker.js";
import { ConfigError } from "./errors.js";
import { InstanceMetadata } from "./imds.js";
import { flushLogsBeforeCompletion } from "./log-shipping/flush-before-completion.js";
import type { LogShipper } from "./log-shipping/log-shipper.js";
import { errorMessage, type Logger } from "./logger.js";
import { RestyledApi } from "./restyled-api.js";
import { resolveRuntime } from "./runtime.js";
import { handleSignals, type SignalTarget } from "./signals.js";

/**
 * AWS client request handler options. Without `throwOnRequestTimeout` the SDK
 * only prints a warning when `requestTimeout` passes and keeps waiting, so a
 * call that never answers (a CompleteLifecycleAction, a long poll) would hang
 * past every deadline.
 */
export function awsRequestHandler(requestTimeoutMs: number) {
  return {
    connectionTimeout: 5_000,
    requestTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
}

const requestHandler = awsRequestHandler(30_000);

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
      return new SSMClient({ region, requestHandler });
    },
  });
  const certificates = await readClientCertificates(runtime.certPath);
  const api = new RestyledApi({
    baseUrl: runtime.restyledUrl,
    token: runtime.restyledToken,
    attempts: runtime.retryAttempts,
    retryDelayMs: runtime.retryDelayMs,
    onRetry: (error, attempt, delayMs) =>
      log.warn("restyled.io call failed; retrying", {
        error: errorMessage(error),
        attempt,
        delayMs,
      }),
  });
  const withQueue = runtime.queueUrl !== undefined;
  const aws = withQueue
    ? {
        SQSClient: (await import("@aws-sdk/client-sqs")).SQSClient,
        AutoScalingClient: (await import("@aws-sdk/client-auto-scaling")).AutoScalingClient,
      }
    : undefined;
  const autoscaling = aws
    ? new aws.AutoScalingClient({ region: runtime.region, requestHandler })
    : undefined;
  if (shipper && runtime.logGroup) {
    await startLogShipping(runtime, shipper, log);
    // Every completion (the TERMINATING one above all: the instance goes right
    // after) waits, bounded, for the lines logged so far to be in CloudWatch.
    if (autoscaling) {
      flushLogsBeforeCompletion(autoscaling, {
        shipper,
        timeoutMs: runtime.logFlushTimeoutMs ?? 5_000,
        log,
      });
    }
  }
  return {
    config: runtime,
    log,
    certificates,
    docker: createDockerClient(runtime.dockerHost, certificates),
    api,
    // The long poll waits 20 s: the request timeout must be longer.
    sqs: aws
      ? new aws.SQSClient({
          region: runtime.region,
          requestHandler: awsRequestHandler(40_000),
        })
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
    client: new CloudWatchLogsClient({ region: runtime.region, requestHandler }),
    logGroupName: runtime.logGroup!,
    logStreamName: runtime.instanceId,
  });
  log.info("shipping the agent's log lines", {
    logGroup: runtime.logGroup,
    logStream: runtime.instanceId,
  });
}

/**
 * Runs an agent until it finishes, with signal handling: the first SIGTERM or
 * SIGINT drains, the second forces, and a watchdog ends the process if even
 * the forced path hangs.
 */
export async function runAgent(
  ctx: AgentContext,
  signals: SignalTarget = process,
  onWatchdog: () => void = () => process.exit(1),
): Promise<boolean> {
  const agent = new Agent(ctx);
  let watchdog: NodeJS.Timeout | undefined;
  const removeHandlers = handleSignals((name, count) => {
    agent.stop(name);
    if (count === 2) {
      // Time enough for one attempt at each call plus the completion deadline.
      watchdog = setTimeout(() => {
        ctx.log.error("forced stop did not finish in time; exiting");
        onWatchdog();
      }, ctx.config.completionTimeoutMs + 30_000);
      watchdog.unref();
    }
  }, signals);
  try {
    return await agent.run();
  } finally {
    removeHandlers();
    clearTimeout(watchdog);
  }
}
