import type { SSMClient } from "@aws-sdk/client-ssm";
import { ConfigError } from "./errors.js";

/**
 * Request handler settings for the AWS clients. Without `throwOnRequestTimeout`
 * the SDK only warns when `requestTimeout` passes and keeps waiting, so a call
 * that never answers would use up the invocation (or hang the CLI).
 */
export const AWS_REQUEST_HANDLER = {
  connectionTimeout: 5_000,
  requestTimeout: 10_000,
  throwOnRequestTimeout: true,
};

/** Where the ingestion key is kept, per environment. */
export function keyParameterName(env: string): string {
  return `/restyled/${env}/logdna-key`;
}

/** Hands out the LogDNA key, reading SSM at most once until told the key is stale. */
export interface KeySource {
  get(): Promise<string>;
  /** Forgets a cached SSM value (after LogDNA refused it), so the next call reads it again. */
  invalidate(): void;
}

/**
 * The key from `LOGDNA_KEY` when given, else from SSM, decrypted, and cached
 * across invocations of a warm Lambda: a failed read is not cached.
 */
export function createKeySource(options: {
  env: string;
  key?: string | undefined;
  ssm?: SSMClient;
}): KeySource {
  if (options.key) {
    const key = options.key;
    return { get: async () => key, invalidate() {} };
  }
  const name = keyParameterName(options.env);
  let cached: Promise<string> | undefined;
  const ssm = options.ssm;
  return {
    get() {
      cached ??= readKey(name, ssm).catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
      return cached;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

async function readKey(name: string, client: SSMClient | undefined): Promise<string> {
  // Loaded on first use, not with the module: the SDK is most of the bundle,
  // and a Lambda given LOGDNA_KEY never needs it (see bench/cold-start).
  const { GetParameterCommand, SSMClient } = await import("./ssm-client.js");
  const ssm = client ?? new SSMClient({ requestHandler: AWS_REQUEST_HANDLER });
  let value: string | undefined;
  try {
    const answer = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    value = answer.Parameter?.Value;
  } catch (error) {
    if ((error as Error).name === "ParameterNotFound") {
      throw new ConfigError(`SSM parameter ${name} does not exist: create it, or set LOGDNA_KEY`, {
        cause: error,
      });
    }
    throw new ConfigError(`could not read SSM parameter ${name}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const key = value?.trim();
  if (!key) throw new ConfigError(`SSM parameter ${name} is empty`);
  return key;
}
