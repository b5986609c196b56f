export type { Machine, RestyledApi } from "@restyled/core/restyled-api";
export { Agent, type AgentPhase } from "./agent.js";
export { type AgentConfig, readConfig } from "./config/config.js";
export type { AgentContext } from "./context.js";
export { waitForRestylers } from "./drain/wait-for-idle.js";
export {
  ConfigError,
  DaemonUnreachableError,
  MetadataError,
  UsageError,
} from "./errors.js";
export { completeLifecycleAction } from "./lifecycle/actions.js";
export { type LifecycleAction, parseLifecycleMessage } from "./lifecycle/message.js";
export { createContext, runAgent } from "./main.js";
