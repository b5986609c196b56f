export { type CliDeps, HELP, runCli } from "./cli.js";
export { formatChanges, summarizeChanges } from "./cloudformation/change-table.js";
export { stackNameOf } from "./cloudformation/stack-state.js";
export type { Context } from "./context.js";
export {
  CancelledError,
  ConfigError,
  InvalidTemplatesError,
  LambdaCodeError,
  StackOperationError,
  UsageError,
} from "./errors.js";
export { lambdaCodeOf } from "./lambda-code.js";
export { parseParamFlags, resolveParameters } from "./parameters.js";
export { formatProblem, type Problem } from "./problems.js";
export { confirmOnTerminal } from "./prompt.js";
export { type ValidationResult, validateStacks } from "./validate.js";
export { type CfnValue, parseCfnYaml } from "./yaml-cfn.js";
