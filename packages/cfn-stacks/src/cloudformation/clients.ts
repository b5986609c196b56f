import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { S3Client } from "@aws-sdk/client-s3";
import { awsClientConfig } from "@restyled/core/aws";
import type { Logger } from "@restyled/core/logger";

export interface ClientOptions {
  region?: string;
  /** Per HTTP request; an endpoint that accepts and never answers fails after this. */
  requestTimeoutMs: number;
  /** An endpoint to talk to instead of AWS's (AWS_ENDPOINT_URL), e.g. a local stand-in. */
  endpoint?: string;
  logger?: Logger;
}

/**
 * The clients with the core's settings: request timeouts that throw (a
 * silent endpoint cannot hang `deploy`) and the SDK's own retries.
 */
export function createClients(options: ClientOptions) {
  const config = {
    ...awsClientConfig({
      region: options.region,
      requestTimeoutMs: options.requestTimeoutMs,
      connectionTimeoutMs: Math.min(5_000, options.requestTimeoutMs),
      logger: options.logger,
    }),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
  const cloudformation = new CloudFormationClient(config);
  const s3 = new S3Client(config);
  nameCallsInErrors(cloudformation, "cloudformation");
  nameCallsInErrors(s3, "s3");
  return { cloudformation, s3 };
}

/**
 * A timeout or network error says nothing about the call that failed; this
 * marks it `$call: "cloudformation:DescribeStacks"` (outside the retries), for
 * the message the operator reads.
 */
function nameCallsInErrors(client: CloudFormationClient | S3Client, service: string): void {
  (client.middlewareStack as CloudFormationClient["middlewareStack"]).add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error && typeof error === "object" && !("$call" in error)) {
          const command = String(context.commandName ?? "").replace(/Command$/, "");
          Object.assign(error, { $call: `${service}:${command}` });
        }
        throw error;
      }
    },
    { step: "initialize", name: "restyledNameCallsInErrors" },
  );
}
