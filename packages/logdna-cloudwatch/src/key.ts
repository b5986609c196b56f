import type { SSMClient } from "@aws-sdk/client-ssm";
import { awsClientConfig, readParameter } from "@restyled/core/aws";
import { parameterName, SSM_KEYS } from "@restyled/core/contract";
import { ConfigError } from "@restyled/core/errors";

/** Where the ingestion key is kept, per environment. */
export function keyParameterName(env: string): string {
  return parameterName(env, SSM_KEYS.logdnaKey);
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
  const { SSMClient } = await import("./ssm-client.js");
  // GetParameter answers in milliseconds: 5 s a try keeps three tries well
  // inside an invocation, so a broken path fails with our message.
  const ssm = client ?? new SSMClient(awsClientConfig({ requestTimeoutMs: 5_000 }));
  let value: string;
  try {
    value = await readParameter(ssm, name);
  } catch (error) {
    if (error instanceof ConfigError && /does not exist$/.test(error.message)) {
      throw new ConfigError(`${error.message}: create it, or set LOGDNA_KEY`, { cause: error });
    }
    throw error;
  }
  const key = value.trim();
  if (!key) throw new ConfigError(`SSM parameter ${name} is empty`);
  return key;
}
