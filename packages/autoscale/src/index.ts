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
  DEFAULT_POLICY_SETTINGS,
  type Decision,
  decideQueuePolicy,
  decideThresholdsPolicy,
  type GroupState,
  jobsWithinBoot,
  type Observation,
  ORIGINAL_THRESHOLDS,
  type PolicyMemory,
  type PolicySettings,
} from "./policy.js";
export { parseQueues, type QueueSpec } from "./queues.js";
export { type DecisionRecord, runOnce } from "./run-once.js";
export { renderChart } from "./simulate/chart.js";
export { type Comparison, comparePolicies, DEFAULT_SIMULATION } from "./simulate/compare.js";
export { type GenerateTraceOptions, generateTrace } from "./simulate/generate-trace.js";
export {
  DEFAULT_JOB_DURATIONS,
  type JobDurations,
  parseJobDurations,
} from "./simulate/job-durations.js";
export { comparisonSummary, formatComparison } from "./simulate/report.js";
export {
  type PolicyName,
  type SimulationResult,
  type SimulationSettings,
  simulate,
} from "./simulate/simulator.js";
export { formatTrace, parseTrace, type TraceRow } from "./simulate/trace.js";
