/**
 * The runtime every Restyled Lambda runs on: the one place it is named. The
 * templates in stacks/ must match it (a test says so); bump both together.
 */
export const LAMBDA_NODE_RUNTIME = "nodejs24.x";

/**
 * The Node.js runtimes Lambda supports and has not deprecated, newest last.
 * Validate accepts any of them, so a template can move ahead of or lag
 * behind LAMBDA_NODE_RUNTIME for one release; drop one when Lambda
 * deprecates it.
 */
export const SUPPORTED_LAMBDA_NODE_RUNTIMES: readonly string[] = ["nodejs22.x", "nodejs24.x"];
