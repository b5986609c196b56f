import type { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { RestyledApi } from "@restyled/core/restyled-api";
import type { ClientCertificates } from "./docker/client.js";
import type { DockerEngineClient } from "./docker/engine-api.js";
import type { Logger } from "./logger.js";
import type { RuntimeConfig } from "./runtime/runtime.js";

/** Everything the agent's procedures need, built once at start (tests build their own). */
export interface AgentContext {
  config: RuntimeConfig;
  log: Logger;
  docker: DockerEngineClient;
  certificates: ClientCertificates;
  /** restyled.io, retrying network errors, 429 and 5xx (`--retry-attempts`). */
  api: RestyledApi;
  /** restyled.io, one attempt per call: for polls that come round again anyway. */
  apiOnce: RestyledApi;
  /** Needed with a queue: lifecycle actions are completed through it. */
  autoscaling?: AutoScalingClient;
  sqs?: SQSClient;
}
