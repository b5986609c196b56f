import type { Machine } from "@restyled/core/restyled-api";
import type { AgentContext } from "../context.js";
import { findMachine, staleRegistration } from "./machine.js";

/**
 * The registration an agent restarted in service should resume: the machine
 * under this instance's name, if its host and certificates are this start's.
 * One left by an earlier start (a start out of the warm pool has a new public
 * host name and new certificates) is not: watching it would serve an entry
 * restyled.io cannot reach, so it is left for the launch out of the pool to
 * replace. Throws what the look-up throws.
 */
export async function findResumableMachine(
  ctx: AgentContext,
  signal: AbortSignal,
): Promise<Machine | undefined> {
  const machine = await findMachine(ctx.api, ctx.config.machineName, { signal });
  if (!machine) return undefined;
  const differs = staleRegistration(machine, ctx);
  if (differs.length === 0) return machine;
  ctx.log.warn(
    "not resuming an earlier registration: it is not this start's (host name or certificates changed)",
    {
      machineId: machine.id,
      differs,
      registeredHost: machine.host,
      host: ctx.config.dockerHost,
    },
  );
  return undefined;
}
