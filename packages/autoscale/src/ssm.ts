import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { ConfigError } from "./errors.js";

/** The SSM name of one of restyled.io's parameters for an environment. */
export function parameterName(environment: string, key: string): string {
  return `/restyled/${environment}/${key}`;
}

/** Reads a (possibly SecureString) parameter; a missing one is a configuration error. */
export async function readParameter(client: SSMClient, name: string): Promise<string> {
  try {
    const answer = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    const value = answer.Parameter?.Value;
    if (!value) throw new ConfigError(`SSM parameter ${name} is empty`);
    return value;
  } catch (error) {
    if (error instanceof Error && error.name === "ParameterNotFound") {
      throw new ConfigError(`SSM parameter ${name} does not exist`, { cause: error });
    }
    throw error;
  }
}
