import type { SSMClient } from "@aws-sdk/client-ssm";
import { type Logger, redactUrl } from "@restyled/core/logger";
import { describeUrlChange } from "@restyled/core/server-url";
import { kindOfUrl, type ProofOptions, parseCredentialUrl, proveCredential } from "./credential.js";
import { InvalidUrlError } from "./errors.js";
import { type ConfigVars, pickConfigVar } from "./heroku.js";
import type { RunSecrets } from "./secrets.js";
import { readParameter, writeParameter } from "./ssm.js";
import type { SyncedVariable } from "./synced-variables.js";

export type VariableResult = "matched" | "updated" | "created";

/** What happened to one variable. */
export interface VariableOutcome {
  configVar: string;
  parameter: string;
  result: VariableResult | "failed";
  /** The parameter's version after the run (`null` when unknown or a dry run would create it). */
  version: number | null;
  /** Heroku's URL, redacted. */
  url?: string;
  /** Why it failed (secret-free). */
  error?: string;
}

export interface SyncVariableContext {
  app: string;
  vars: ConfigVars;
  dryRun: boolean;
  proof: ProofOptions;
  ssm: SSMClient;
  logger: Logger;
  secrets: RunSecrets;
}

/** What a changed variable tells the roll: which parameter, under which ARN if SSM said. */
export interface Changed {
  name: string;
  arn: string | undefined;
}

/**
 * Brings one parameter up to date with its config var: nothing is written when
 * it already matches, and a new URL is written only after it was proven.
 * Throws on failure, having written nothing.
 */
export async function syncVariable(
  variable: SyncedVariable,
  context: SyncVariableContext,
): Promise<{ outcome: VariableOutcome; changed?: Changed }> {
  const { configVar, parameter } = variable;
  const { logger, ssm } = context;
  const raw = pickConfigVar(context.vars, configVar, context.app);
  context.secrets.addUrl(raw);
  const credential = parseCredentialUrl(raw, `Heroku config var ${configVar} of ${context.app}`);
  const url = credential.target.redacted;

  const stored = await readParameter(ssm, parameter);
  if (stored) context.secrets.addUrl(stored.value);
  if (stored?.value === raw) {
    logger.info("SSM already has Heroku's URL", {
      configVar,
      parameter,
      url,
      version: stored.version,
    });
    return { outcome: { configVar, parameter, result: "matched", version: stored.version, url } };
  }
  const storedKind = stored ? kindOfUrl(stored.value) : undefined;
  if (storedKind !== undefined && storedKind !== credential.kind) {
    throw new InvalidUrlError(
      `Heroku config var ${configVar} of ${context.app} is now a ${credential.kind} URL but ${parameter} holds a ${storedKind} URL; refusing to write it (check --sync / SYNC_VARIABLES)`,
    );
  }

  const result: VariableResult = stored ? "updated" : "created";
  logger.info(stored ? "Heroku's URL differs from SSM" : "SSM has no URL yet", {
    configVar,
    parameter,
    from: stored ? redactUrl(stored.value) : null,
    to: url,
    changed: stored ? describeUrlChange(stored.value, raw) : undefined,
  });
  const proof = await proveCredential(credential, context.proof);
  logger.info(`the new URL answers ${proof}`, { configVar, url });

  const changed = { name: parameter, arn: stored?.arn };
  if (context.dryRun) {
    logger.info(`dry run: would have ${result} ${parameter}`, { configVar, url });
    return {
      outcome: { configVar, parameter, result, version: stored?.version ?? null, url },
      changed,
    };
  }
  const version = await writeParameter(ssm, { name: parameter, value: raw, existing: stored });
  logger.info(`${result} ${parameter}`, { configVar, url, version });
  return { outcome: { configVar, parameter, result, version, url }, changed };
}
