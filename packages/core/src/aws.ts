/**
 * Settings and error handling for AWS SDK v3 clients, the same in every tool:
 * request timeouts that throw, the SDK's own retry strategy (never a retry
 * loop around an SDK call), and errors that name the call and what to fix.
 */
import type { SSMClient } from "@aws-sdk/client-ssm";
import { ConfigError, RestyledError, UnavailableError } from "./errors.js";
import type { Logger } from "./logger.js";

export interface AwsClientConfigOptions {
  region?: string;
  /** Per HTTP request (default 10s); a long poll needs more than its wait. */
  requestTimeoutMs?: number;
  /** TCP/TLS connection set-up (default 5s). */
  connectionTimeoutMs?: number;
  /** Total attempts per call, first included, through the SDK's standard retry strategy (default 3). */
  maxAttempts?: number;
  /** The SDK's own log lines go here: its info, debug and error (the caller reports failures) at debug, warn at warn. */
  logger?: Logger;
}

/** The SDK's logger shape. */
interface SdkLogger {
  debug(...content: unknown[]): void;
  info(...content: unknown[]): void;
  warn(...content: unknown[]): void;
  error(...content: unknown[]): void;
}

/**
 * The configuration for any SDK v3 client: `new SSMClient(awsClientConfig({ region }))`.
 * `throwOnRequestTimeout` matters: without it the SDK only warns when
 * `requestTimeout` passes and keeps waiting, so a call that never answers
 * hangs past every deadline. For a deadline per call, pass `abortSignal` to `send`.
 */
export function awsClientConfig(options: AwsClientConfigOptions = {}) {
  // The tools bundle their SDK: its notice that later SDK releases will need a
  // newer Node is for whoever upgrades the bundle, not the operator, and printed
  // it is nine lines around the one error line. Read when a client is made;
  // an operator who sets the variable keeps their choice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  return {
    ...(options.region ? { region: options.region } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    retryMode: "standard",
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      throwOnRequestTimeout: true,
    },
    ...(options.logger ? { logger: sdkLogger(options.logger) } : {}),
  };
}

// The SDK logs every failed call at error; the caller reports that failure
// itself (describeAwsError, one line), so the SDK's raw record is debug detail.
function sdkLogger(logger: Logger): SdkLogger {
  const text = (content: unknown[]) =>
    content.map((item) => (typeof item === "string" ? item : JSON.stringify(item))).join(" ");
  return {
    debug: (...content) => logger.debug(text(content), { source: "aws-sdk" }),
    info: (...content) => logger.debug(text(content), { source: "aws-sdk" }),
    warn: (...content) => logger.warn(text(content), { source: "aws-sdk" }),
    error: (...content) => logger.debug(text(content), { source: "aws-sdk" }),
  };
}

const CREDENTIAL_ERRORS = new Set([
  "CredentialsProviderError",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "ExpiredTokenException",
]);
const PERMISSION_ERRORS = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
]);
const THROTTLING_ERRORS = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "TooManyUpdates",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ProvisionedThroughputExceededException",
]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ECONNABORTED",
]);

interface AwsErrorShape {
  name?: string;
  message?: string;
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Turns an SDK failure into an error the operator can act on, naming the call
 * (`ssm:GetParameter /restyled/prod/redis-url`) and, for network failures,
 * the endpoint: missing region or credentials, denied permissions →
 * `ConfigError` (78); network errors, timeouts, throttling, 5xx →
 * `UnavailableError` (69); anything else → `RestyledError` (1). Our own
 * errors and aborts pass through unchanged.
 */
export function describeAwsError(
  error: unknown,
  options: { call: string; endpoint?: string },
): Error {
  if (error instanceof RestyledError) return error;
  const e = (error ?? {}) as AwsErrorShape;
  const name = e.name ?? "Error";
  const message = e.message ?? String(error);
  const { call } = options;
  if (name === "AbortError") return error as Error;
  if (/Region is missing/i.test(message)) {
    return new ConfigError(`no AWS region for ${call}: set AWS_REGION or pass --region`, {
      cause: error,
    });
  }
  if (CREDENTIAL_ERRORS.has(name) || /Could not load credentials/i.test(message)) {
    return new ConfigError(
      `no usable AWS credentials for ${call} (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use an instance role): ${message}`,
      { cause: error },
    );
  }
  if (PERMISSION_ERRORS.has(name)) {
    return new ConfigError(`not allowed to ${call} (check the IAM policy): ${message}`, {
      cause: error,
    });
  }
  const endpoint = options.endpoint ?? endpointOf(e);
  const at = endpoint ? ` at ${endpoint}` : "";
  if (name === "TimeoutError" || name === "RequestTimeout" || name === "RequestTimeoutException") {
    return new UnavailableError(`${call}: AWS${at} did not answer in time (${message})`, {
      cause: error,
    });
  }
  if (e.code && NETWORK_CODES.has(e.code)) {
    return new UnavailableError(`${call}: could not reach AWS${at} (${e.code})`, { cause: error });
  }
  if (THROTTLING_ERRORS.has(name)) {
    return new UnavailableError(`${call}: AWS is throttling requests; try again later`, {
      cause: error,
    });
  }
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) {
    return new UnavailableError(`${call}: AWS answered ${status} (${name}: ${message})`, {
      cause: error,
    });
  }
  return new RestyledError(`${call} failed: ${name}: ${message}`, { cause: error });
}

function endpointOf(e: AwsErrorShape): string | undefined {
  if (e.address) return e.port ? `${e.address}:${e.port}` : e.address;
  return e.hostname;
}

/**
 * Resolves a client's region before any work, as the client itself would
 * (AWS_REGION, the profile): a missing region then fails at start as one
 * `ConfigError` naming AWS_REGION, not later as each call failing, after the
 * start-up log lines, or half-way through a run.
 */
export async function requireRegion(
  client: { config: { region: string | (() => Promise<string>) } },
  options: { call: string },
): Promise<string> {
  try {
    const { region } = client.config;
    return typeof region === "function" ? await region() : region;
  } catch (error) {
    throw describeAwsError(error, options);
  }
}

/**
 * Reads an SSM parameter with decryption (some are SecureString). Missing or
 * empty → `ConfigError` naming it; throttling and timeouts → `UnavailableError`.
 * The value never appears in an error.
 */
export async function readParameter(
  ssm: Pick<SSMClient, "send">,
  name: string,
  options: { signal?: AbortSignal } = {},
): Promise<string> {
  // Loaded on first use: a tool that never reads SSM does not carry the client.
  const { GetParameterCommand } = await import("@aws-sdk/client-ssm");
  let value: string | undefined;
  try {
    const answer = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }), {
      abortSignal: options.signal,
    });
    value = answer.Parameter?.Value;
  } catch (error) {
    if ((error as Error)?.name === "ParameterNotFound") {
      throw new ConfigError(`SSM parameter ${name} does not exist`, { cause: error });
    }
    throw describeAwsError(error, { call: `ssm:GetParameter ${name}` });
  }
  if (!value) throw new ConfigError(`SSM parameter ${name} is empty`);
  return value;
}
