export { type AwsClients, createAwsClients } from "./clients.js";
export {
  type AutoscaleConfig,
  RUN_OPTIONS,
  type RunOptions,
  readConfig,
  readOptions,
  toConfig,
} from "./config.js";
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
  type GroupState,
  jobsWithinBoot,
  type Observation,
  type PolicyMemory,
  type PolicySettings,
} from "./policy.js";
export { type DecisionRecord, runOnce } from "./run-once.js";
export {
  evaluateGoal,
  frontier,
  frontierHoursAt,
  frontierWaitAt,
  type GoalVerdict,
  type PolicyFigures,
  runPolicies,
} from "./simulate/benchmark.js";
export { renderChart } from "./simulate/chart.js";
export {
  type Comparison,
  comparePolicies,
  DEFAULT_SIMULATION,
  DEFAULT_SYSTEM,
  type SimulationOptions,
} from "./simulate/compare.js";
export {
  type Controller,
  type ControlView,
  kedaController,
  queueController,
  targetTrackingController,
  thresholdsController,
} from "./simulate/controllers.js";
export { type GenerateTraceOptions, generateTrace } from "./simulate/generate-trace.js";
export {
  DEFAULT_JOB_DURATIONS,
  type JobDurations,
  parseJobDurations,
} from "./simulate/job-durations.js";
export {
  ANCHOR_SWEEPS,
  kedaPolicy,
  ORIGINAL,
  onWarmPool,
  type PolicySpec,
  queuePolicy,
  targetTrackingPolicy,
  thresholdsPolicy,
} from "./simulate/policies.js";
export { comparisonSummary, formatComparison } from "./simulate/report.js";
export { generateShape, SHAPES, type Shape } from "./simulate/shapes.js";
export {
  type SimulationResult,
  type SystemSettings,
  simulate,
  type TimelinePoint,
} from "./simulate/simulator.js";
export { formatTrace, parseTrace, type TraceRow } from "./simulate/trace.js";
export {
  createWarmPool,
  DEFAULT_WARM_POOL,
  type WarmPool,
  type WarmPoolSettings,
  warmPoolSize,
} from "./simulate/warm-pool.js";
export {
  DEFAULT_WARM_POOL_SIZING,
  decideWarmPoolTarget,
  type WarmPoolSizing,
  type WarmPoolTarget,
} from "./warm-pool-target.js";
