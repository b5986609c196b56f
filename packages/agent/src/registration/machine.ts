import type { CallOptions, Machine, RestyledApi } from "@restyled/core/restyled-api";
import { RestyledApiError } from "@restyled/core/restyled-api";
import type { AgentContext } from "../context.js";

/** The machine called `name`, if the registry has one (names are unique over time). */
export async function findMachine(
  api: RestyledApi,
  name: string,
  call?: CallOptions,
): Promise<Machine | undefined> {
  return (await api.listMachines(call)).find((machine) => machine.name === name);
}

/**
 * Finds this instance's machine (an agent restarted after registering reuses
 * it, so there is never a duplicate) or registers it with the client
 * certificates the Webhooks service will use.
 */
export async function registerMachine(ctx: AgentContext, signal?: AbortSignal): Promise<Machine> {
  const { api, config, log } = ctx;
  const existing = await findMachine(api, config.machineName, { signal });
  if (existing) {
    log.info("machine already registered; reusing it", {
      machineId: existing.id,
      enabled: existing.enabled,
    });
    return existing.enabled ? existing : api.setEnabled(existing.id, true, { signal });
  }
  try {
    const created = await api.createMachine(
      {
        name: config.machineName,
        host: config.dockerHost,
        certificateAuthority: ctx.certificates.ca,
        certificate: ctx.certificates.cert,
        privateKey: ctx.certificates.key,
      },
      { signal },
    );
    log.info("machine registered", { machineId: created.id, enabled: created.enabled });
    return created;
  } catch (error) {
    // Another attempt (a retry whose first answer was lost) may have created it.
    if (error instanceof RestyledApiError && error.status === 409) {
      const raced = await findMachine(api, config.machineName, { signal });
      if (raced) return raced;
    }
    throw error;
  }
}

/** Deletes the machine; one already gone counts as deleted. */
export async function deleteMachine(
  ctx: AgentContext,
  machine: Machine,
  api: RestyledApi = ctx.api,
): Promise<void> {
  try {
    await api.deleteMachine(machine.id);
    ctx.log.info("machine deleted from the registry", { machineId: machine.id });
  } catch (error) {
    if (error instanceof RestyledApiError && error.status === 404) {
      ctx.log.warn("machine was already gone from the registry", { machineId: machine.id });
      return;
    }
    throw error;
  }
}
