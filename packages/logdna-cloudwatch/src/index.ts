export { backoffDelay, parseRetryAfter } from "@restyled/core/backoff";
export { type BackfillResult, backfillLogGroup } from "./backfill.js";
export { type Batch, batchLines, DEFAULT_MAX_REQUEST_BYTES } from "./batch.js";
export { main } from "./cli.js";
export {
  DEFAULT_INGEST_URL,
  type ForwarderConfig,
  type IngestConfig,
  parseIngestUrl,
  readForwarderConfig,
} from "./config.js";
export {
  decodeSubscriptionEvent,
  type LogEvent,
  type SubscriptionEvent,
  type SubscriptionPayload,
} from "./decode.js";
export { ConfigError, DeliveryError, InvalidEventError, UsageError } from "./errors.js";
export { type ForwardResult, forwardLines } from "./forward.js";
export { handleSubscriptionEvent, type InvocationContext } from "./handler.js";
export { sendBatch } from "./ingest.js";
export { createKeySource, type KeySource, keyParameterName } from "./key.js";
export { type Level, leadingLevel, normalizeLevel, parseLambdaLine } from "./level.js";
export {
  type FailedEvent,
  type RedriveResult,
  readFailedEvent,
  redriveFailedEvents,
} from "./redrive.js";
export {
  filterPatternFor,
  LAMBDA_FILTER_PATTERN,
  parseFunctionArn,
  type SubscribeOutcome,
  subscribeLogGroups,
} from "./subscribe.js";
export {
  describeLogGroup,
  type LogdnaLine,
  MAX_LINE_CHARS,
  toLogdnaLines,
  truncateLine,
} from "./transform.js";
