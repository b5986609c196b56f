import type { SSMClient } from "@aws-sdk/client-ssm";
import { readParameter } from "@restyled/core/aws";
import { machineHost, machineName, parameterName, SSM_KEYS } from "@restyled/core/contract";
import { ConfigError, UnavailableError } from "@restyled/core/errors";
import type { AgentConfig } from "../config/config.js";
import type { InstanceMetadata } from "./imds.js";

/** The configuration with everything looked up: what the agent runs with. */
export interface RuntimeConfig extends AgentConfig {
  instanceId: string;
  publicHostname: string;
  dockerHost: string;
  restyledToken: string;
  /** `restyled-{env}-{instance-id}`: unique over time, so a restart finds its own machine. */
  machineName: string;
}

export interface ResolveOptions {
  /** Asked only for what flags did not give. */
  metadata: Pick<InstanceMetadata, "get">;
  /** Made only when the token must come from SSM (it needs the region). */
  ssm: (region: string | undefined) => Pick<SSMClient, "send">;
}

/** Fills in instance id, hostname, region, Docker host and token from IMDSv2 and SSM. */
export async function resolveRuntime(
  config: AgentConfig,
  options: ResolveOptions,
): Promise<RuntimeConfig> {
  const fromMetadata = async (path: string, flag: string) => {
    let value: string | undefined;
    try {
      value = await options.metadata.get(path);
    } catch (error) {
      throw new ConfigError(`${flag} not given and ${(error as Error).message}`, { cause: error });
    }
    if (!value) {
      throw new ConfigError(`${flag} not given and the instance metadata has no ${path}`);
    }
    return value;
  };
  const instanceId = config.instanceId ?? (await fromMetadata("instance-id", "--instance-id"));
  const needsHostname = config.dockerHost === undefined;
  const publicHostname =
    config.publicHostname ??
    (needsHostname ? await fromMetadata("public-hostname", "--public-hostname") : "");
  const needsRegion = config.queueUrl !== undefined || config.restyledToken === undefined;
  const region =
    config.region ??
    (needsRegion ? await fromMetadata("placement/region", "--region (or AWS_REGION)") : undefined);
  const restyledToken =
    config.restyledToken ?? (await readTokenFromSsm(config.env, options.ssm(region)));
  return {
    ...config,
    instanceId,
    publicHostname,
    region,
    dockerHost: config.dockerHost ?? machineHost(publicHostname),
    restyledToken,
    machineName: machineName(config.env, instanceId),
  };
}

async function readTokenFromSsm(env: string, ssm: Pick<SSMClient, "send">): Promise<string> {
  const name = parameterName(env, SSM_KEYS.restyledApiToken);
  try {
    return await readParameter(ssm, name);
  } catch (error) {
    const message = `RESTYLED_API_TOKEN not set and SSM parameter ${name} could not be read: ${(error as Error).message}`;
    // Unreachable SSM may pass (exit 69); a missing parameter needs an operator (78).
    if (error instanceof UnavailableError) throw new UnavailableError(message, { cause: error });
    throw new ConfigError(message, { cause: error });
  }
}
