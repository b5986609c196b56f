import { readFile } from "node:fs/promises";
import type { SSMClient } from "@aws-sdk/client-ssm";
import type { Config } from "./config.js";
import { ConfigError } from "./errors.js";
import { fetchConfigVar } from "./heroku.js";
import type { Logger } from "./logger.js";
import { redactUrl, secretsOfUrl } from "./redact.js";
import { pingRedis } from "./redis-ping.js";
import { describeChange, parseRedisUrl } from "./redis-url.js";
import { readParameter, writeParameter } from "./ssm.js";

export type CheckResult = "matched" | "updated" | "created";

export interface CheckOutcome {
  result: CheckResult;
  /** The SSM parameter's version after the run (`null` when a dry run would create it). */
  version: number | null;
  /** Heroku's URL, redacted. */
  url: string;
  /** True when nothing was written because of `--dry-run`. */
  dryRun: boolean;
}

export interface CheckDependencies {
  ssm: SSMClient;
  logger: Logger;
}

/**
 * Brings the SSM copy of the Heroku Redis URL up to date: nothing is written
 * when it already matches, and a new URL is written only after it answered PING.
 */
export async function checkRedisUrl(
  config: Config,
  { ssm, logger }: CheckDependencies,
): Promise<CheckOutcome> {
  logger.info("checking the Redis URL", {
    env: config.env,
    app: config.app,
    configVar: config.configVar,
    parameter: config.redisUrlParameter,
    dryRun: config.dryRun,
  });
  if (!config.redisTlsVerify) {
    logger.warn("TLS certificate verification of rediss:// servers is OFF", {
      reason: "--insecure-skip-tls-verify or REDIS_TLS_INSECURE",
    });
  }
  const ca = config.redisCaFile ? await readCaFile(config.redisCaFile) : undefined;

  const apiKey = await readApiKey(ssm, config.herokuApiKeyParameter);
  logger.protect(apiKey);
  const herokuUrl = await fetchConfigVar({
    baseUrl: config.herokuApiUrl,
    apiKey,
    app: config.app,
    name: config.configVar,
    apiKeySource: `SSM ${config.herokuApiKeyParameter}`,
  });
  for (const secret of secretsOfUrl(herokuUrl)) logger.protect(secret);
  const target = parseRedisUrl(herokuUrl, `Heroku config var ${config.configVar} of ${config.app}`);

  const stored = await readParameter(ssm, config.redisUrlParameter);
  if (stored) for (const secret of secretsOfUrl(stored.value)) logger.protect(secret);
  if (stored?.value === herokuUrl) {
    logger.info("SSM already has Heroku's Redis URL", {
      url: target.redacted,
      version: stored.version,
    });
    return { result: "matched", version: stored.version, url: target.redacted, dryRun: false };
  }

  const result: CheckResult = stored ? "updated" : "created";
  logger.info(stored ? "Heroku's Redis URL differs from SSM" : "SSM has no Redis URL yet", {
    from: stored ? redactUrl(stored.value) : null,
    to: target.redacted,
    changed: stored ? describeChange(stored.value, herokuUrl) : undefined,
  });
  await pingRedis(target, {
    timeoutMs: config.pingTimeoutMs,
    tlsVerify: config.redisTlsVerify,
    ca,
  });
  logger.info("the new Redis URL answers PING", { url: target.redacted });

  if (config.dryRun) {
    logger.info(`dry run: would have ${result} ${config.redisUrlParameter}`, {
      url: target.redacted,
    });
    return { result, version: stored?.version ?? null, url: target.redacted, dryRun: true };
  }
  const version = await writeParameter(ssm, {
    name: config.redisUrlParameter,
    value: herokuUrl,
    existing: stored,
  });
  logger.info(`${result} ${config.redisUrlParameter}`, { url: target.redacted, version });
  return { result, version, url: target.redacted, dryRun: false };
}

async function readApiKey(ssm: SSMClient, name: string): Promise<string> {
  const parameter = await readParameter(ssm, name);
  if (!parameter) {
    throw new ConfigError(`SSM parameter ${name} does not exist; store the Heroku API key there`);
  }
  const key = parameter.value.trim();
  if (key === "")
    throw new ConfigError(`SSM parameter ${name} is empty; store the Heroku API key there`);
  return key;
}

async function readCaFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const reason = (error as { code?: string }).code ?? String(error);
    throw new ConfigError(
      `cannot read the Redis CA file ${path} (--redis-ca-file / REDIS_TLS_CA_FILE): ${reason}`,
    );
  }
}
