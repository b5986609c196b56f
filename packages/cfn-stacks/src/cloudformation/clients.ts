import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { S3Client } from "@aws-sdk/client-s3";

export interface ClientOptions {
  region?: string;
  /** Per HTTP request; an endpoint that accepts and never answers fails after this. */
  requestTimeoutMs: number;
  /** An endpoint to talk to instead of AWS's (AWS_ENDPOINT_URL), e.g. a local stand-in. */
  endpoint?: string;
}

/**
 * The settings every client gets. `throwOnRequestTimeout` matters: without it
 * the SDK only warns when `requestTimeout` passes and keeps waiting, so a
 * silent endpoint would hang `deploy` for good. Retries are the SDK's own.
 */
export function awsClientConfig(options: ClientOptions) {
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: 3,
    retryMode: "standard",
    requestHandler: {
      connectionTimeout: Math.min(5_000, options.requestTimeoutMs),
      requestTimeout: options.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
}

export function createClients(options: ClientOptions) {
  const config = awsClientConfig(options);
  const cloudformation = new CloudFormationClient(config);
  const s3 = new S3Client(config);
  nameCallsInErrors(cloudformation);
  nameCallsInErrors(s3);
  return { cloudformation, s3 };
}

/**
 * A timeout or network error says nothing about the call that failed; this
 * marks it with the command's name (outside the retries) for the message.
 */
function nameCallsInErrors(client: CloudFormationClient | S3Client): void {
  (client.middlewareStack as CloudFormationClient["middlewareStack"]).add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error && typeof error === "object" && !("$command" in error)) {
          Object.assign(error, { $command: context.commandName });
        }
        throw error;
      }
    },
    { step: "initialize", name: "restyledNameCallsInErrors" },
  );
}
