import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import type { AgentConfig } from "./config.js";
import { ConfigError } from "./errors.js";
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
    config.region ?? (needsRegion ? await fromMetadata("placement/region", "--region") : undefined);
  const restyledToken =
    config.restyledToken ?? (await readTokenFromSsm(config.env, options.ssm(region)));
  return {
    ...config,
    instanceId,
    publicHostname,
    region,
    dockerHost: config.dockerHost ?? `tcp://${publicHostname}:2376`,
    restyledToken,
    machineName: `restyled-${config.env}-${instanceId}`,
  };
}

async function readTokenFromSsm(env: string, ssm: Pick<SSMClient, "send">): Promise<string> {
  const name = `/restyled/${env}/restyled-api-token`;
  try {
    const answer = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    const value = answer.Parameter?.Value;
    if (!value) throw new Error("the parameter is empty");
    return value;
  } catch (error) {
    throw new ConfigError(
      `RESTYLED_API_TOKEN not set and SSM parameter ${name} could not be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
