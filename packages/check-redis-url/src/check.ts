import { readFile } from "node:fs/promises";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { SSMClient } from "@aws-sdk/client-ssm";
import type { Logger } from "@restyled/core/logger";
import type { Config } from "./config.js";
import type { ProofOptions } from "./credential.js";
import { findConsumers } from "./ecs-consumers.js";
import { rollServices } from "./ecs-roll.js";
import { ConfigError, SyncFailedError } from "./errors.js";
import { fetchConfigVars } from "./heroku.js";
import { RunSecrets } from "./secrets.js";
import { readParameter } from "./ssm.js";
import { type Changed, syncVariable, type VariableOutcome } from "./sync-variable.js";

/** A service given (or, on a dry run, due) a new deployment, and the parameters it reads. */
export interface RolledService {
  service: string;
  reads: string[];
  /** The new deployment's id; absent on a dry run. */
  deployment?: string;
}

export interface CheckOutcome {
  results: VariableOutcome[];
  /** The services rolled because they read a written parameter (or would be, on a dry run). */
  rolled: RolledService[];
  /** True when nothing was written or rolled because of `--dry-run`. */
  dryRun: boolean;
}

export interface CheckDependencies {
  ssm: SSMClient;
  /** Needed only when a cluster is configured. */
  ecs?: ECSClient | undefined;
  logger: Logger;
  /** The waiter's first delay between polls, in seconds (tests shorten it). */
  rollPollSeconds?: number | undefined;
  /** Aborted by the first SIGINT/SIGTERM. */
  signal?: AbortSignal | undefined;
}

/**
 * Brings each SSM copy of a Heroku credential URL up to date (a new URL is
 * written only after it was proven), then rolls the ECS services that read a
 * written parameter and waits until they are steady. Throws `SyncFailedError`
 * (with the outcome so far) when any variable or the roll failed.
 */
export async function checkCredentials(
  config: Config,
  dependencies: CheckDependencies,
): Promise<CheckOutcome> {
  const secrets = new RunSecrets();
  try {
    return await check(config, dependencies, secrets);
  } catch (error) {
    // Whatever a server echoed back, the message leaves here without a known secret.
    throw secrets.scrubError(error);
  }
}

async function check(
  config: Config,
  { ssm, ecs, logger, rollPollSeconds, signal }: CheckDependencies,
  secrets: RunSecrets,
): Promise<CheckOutcome> {
  logger.info("checking the credential URLs", {
    env: config.env,
    app: config.app,
    variables: config.variables.map((v) => `${v.configVar}=${v.parameter}`),
    cluster: config.cluster ?? null,
    dryRun: config.dryRun,
  });
  if (!config.redisTlsVerify) {
    logger.warn("TLS certificate verification of rediss:// servers is OFF", {
      reason: "--insecure-skip-tls-verify or REDIS_TLS_INSECURE",
    });
  }
  if (!config.postgresTlsVerify) {
    logger.warn("TLS certificate verification of PostgreSQL servers is OFF", {
      reason: "--postgres-insecure-skip-tls-verify or POSTGRES_TLS_INSECURE",
    });
  }
  // Read now so a wrong path fails as configuration before anything is fetched;
  // the shared Redis connection reads the file again by its path.
  await readCaFile(config.redisCaFile, "--redis-ca-file / REDIS_TLS_CA_FILE");
  const proof: ProofOptions = {
    timeoutMs: config.pingTimeoutMs,
    redis: { tlsVerify: config.redisTlsVerify, caFile: config.redisCaFile },
    postgres: {
      tlsVerify: config.postgresTlsVerify,
      ca: await readCaFile(config.postgresCaFile, "--postgres-ca-file / POSTGRES_TLS_CA_FILE"),
    },
    logger,
  };

  const apiKey = await readApiKey(ssm, config.herokuApiKeyParameter);
  secrets.add(apiKey);
  const vars = await fetchConfigVars({
    baseUrl: config.herokuApiUrl,
    apiKey,
    app: config.app,
    apiKeySource: `SSM ${config.herokuApiKeyParameter}`,
  });

  const results: VariableOutcome[] = [];
  const failures: Error[] = [];
  const changed: Changed[] = [];
  const context = { app: config.app, vars, dryRun: config.dryRun, proof, ssm, logger, secrets };
  for (const variable of config.variables) {
    try {
      const synced = await syncVariable(variable, context);
      results.push(synced.outcome);
      if (synced.changed) changed.push(synced.changed);
    } catch (error) {
      const failure = secrets.scrubError(error instanceof Error ? error : new Error(String(error)));
      failures.push(failure);
      results.push({
        ...variable,
        result: "failed",
        version: null,
        error: failure.message,
      });
      logger.warn(`${variable.configVar} was not written`, {
        parameter: variable.parameter,
        error: failure,
      });
    }
  }

  const outcome: CheckOutcome = { results, rolled: [], dryRun: config.dryRun };
  try {
    outcome.rolled = await rollConsumers(config, { ecs, logger, changed, rollPollSeconds, signal });
  } catch (error) {
    failures.push(error instanceof Error ? error : new Error(String(error)));
  }
  if (failures.length > 0) throw new SyncFailedError(failures, outcome);
  return outcome;
}

async function rollConsumers(
  config: Config,
  context: {
    ecs: ECSClient | undefined;
    logger: Logger;
    changed: Changed[];
    rollPollSeconds: number | undefined;
    signal: AbortSignal | undefined;
  },
): Promise<RolledService[]> {
  const { ecs, logger, changed } = context;
  if (changed.length === 0) return [];
  const parameters = changed.map((c) => c.name);
  if (!config.cluster || !ecs) {
    logger.warn(
      "no ECS cluster configured (--cluster / ECS_CLUSTER): running services keep the old URL until they are redeployed",
      { parameters },
    );
    return [];
  }
  const region = await ecs.config.region().catch(() => undefined);
  const consumers = await findConsumers(ecs, {
    cluster: config.cluster,
    parameters: changed,
    region,
  });
  if (consumers.length === 0) {
    logger.info("no ECS service reads the written parameters", {
      cluster: config.cluster,
      parameters,
    });
    return [];
  }
  if (config.dryRun) {
    const services = consumers.map((c) => ({ service: c.serviceName, reads: c.parameters }));
    logger.info("dry run: would have rolled the services reading the new URLs", { services });
    return services;
  }
  const rolled = await rollServices(ecs, {
    cluster: config.cluster,
    consumers,
    maxWaitMs: config.rollTimeoutMs,
    minDelaySeconds: context.rollPollSeconds,
    logger,
    signal: context.signal,
  });
  return rolled.map((r) => ({
    service: r.service,
    reads: consumers.find((c) => c.serviceName === r.service)?.parameters ?? [],
    deployment: r.deployment,
  }));
}

/**
 * The Heroku API key, with decryption. (Not @restyled/core's readParameter:
 * it loads the SSM client by a dynamic import, which keeps every SSM command
 * in the Lambda bundle; ssm.ts imports only the commands it sends.)
 */
async function readApiKey(ssm: SSMClient, name: string): Promise<string> {
  const parameter = await readParameter(ssm, name);
  const key = parameter?.value.trim();
  if (!parameter) {
    throw new ConfigError(`SSM parameter ${name} does not exist; store the Heroku API key there`);
  }
  if (!key) throw new ConfigError(`SSM parameter ${name} is empty; store the Heroku API key there`);
  return key;
}

async function readCaFile(path: string | undefined, setting: string): Promise<string | undefined> {
  if (!path) return undefined;
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const reason = (error as { code?: string }).code ?? String(error);
    throw new ConfigError(`cannot read the CA file ${path} (${setting}): ${reason}`);
  }
}
