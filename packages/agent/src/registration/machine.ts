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
 * What makes a registration found under this instance's name not this
 * start's: after a start out of a warm pool the public host name (hence the
 * daemon's endpoint) and the certificates are new (init-certificates runs at
 * every boot). Empty when it is current. Certificates restyled.io does not
 * return are not compared.
 */
export function staleRegistration(machine: Machine, ctx: AgentContext): string[] {
  const differs: string[] = [];
  if (machine.host !== ctx.config.dockerHost) differs.push("host");
  const compare = [
    ["certificate authority", machine.caCert, ctx.certificates.ca],
    ["client certificate", machine.cert, ctx.certificates.cert],
    ["client key", machine.key, ctx.certificates.key],
  ] as const;
  for (const [what, registered, current] of compare) {
    if (registered !== undefined && registered.trim() !== current.trim()) differs.push(what);
  }
  return differs;
}

/**
 * Finds this instance's machine (an agent restarted after registering reuses
 * it, so there is never a duplicate) or registers it with the client
 * certificates the Webhooks service will use.
 */
export async function registerMachine(ctx: AgentContext, signal?: AbortSignal): Promise<Machine> {
  const { api, config, log } = ctx;
  const existing = await findMachine(api, config.machineName, { signal });
  const stale = existing ? staleRegistration(existing, ctx) : [];
  if (existing && stale.length === 0) {
    log.info("machine already registered; reusing it", {
      machineId: existing.id,
      enabled: existing.enabled,
    });
    return existing.enabled ? existing : api.setEnabled(existing.id, true, { signal });
  }
  if (existing) {
    // Left by an earlier start of this instance (out of a warm pool, whose
    // drain could not de-register it): restyled.io would send jobs to a host
    // name or certificates that are gone. The name is this instance's, so
    // the old entry is replaced, never reused.
    log.warn("replacing a registration from an earlier start of this instance", {
      machineId: existing.id,
      differs: stale,
      registeredHost: existing.host,
      host: config.dockerHost,
    });
    await deleteMachine(ctx, existing, api);
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
