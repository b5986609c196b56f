import type { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type Docker from "dockerode";
import type { ClientCertificates } from "./docker.js";
import type { Logger } from "./logger.js";
import type { RestyledApi } from "./restyled-api.js";
import type { RuntimeConfig } from "./runtime.js";

/** Everything the agent's procedures need, built once at start (tests build their own). */
export interface AgentContext {
  config: RuntimeConfig;
  log: Logger;
  docker: Docker;
  certificates: ClientCertificates;
  api: RestyledApi;
  /** Needed with a queue: lifecycle actions are completed through it. */
  autoscaling?: AutoScalingClient;
  sqs?: SQSClient;
}
