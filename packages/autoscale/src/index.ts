export { type AwsClients, createAwsClients } from "./clients.js";
export { type AutoscaleConfig, type ConfigFlags, readConfig } from "./config.js";
export { formatDuration, parseDuration } from "./duration.js";
export {
  AutoscaleRunError,
  ConfigError,
  DependencyError,
  GroupNotFoundError,
  RestyledApiError,
  TraceError,
  UsageError,
} from "./errors.js";
export { createHandler, type HandlerDependencies, handler } from "./lambda.js";
export { LAST_ACTION_TAG, LOW_SINCE_TAG } from "./machines-group.js";
export {
  type Decision,
  decideQueuePolicy,
  decideThresholdsPolicy,
  type GroupState,
  type Observation,
  ORIGINAL_THRESHOLDS,
  type PolicyMemory,
  type PolicySettings,
} from "./policy.js";
export { parseQueues, type QueueSpec } from "./queues.js";
export { type DecisionRecord, runOnce } from "./run-once.js";
