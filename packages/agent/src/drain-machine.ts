import type { AgentContext } from "./context.js";
import { waitForRestylers } from "./drain.js";
import { formatDuration } from "./duration.js";
import { errorMessage } from "./logger.js";
import { deleteMachine } from "./registration.js";
import type { Machine } from "./restyled-api.js";

export interface DrainMachineOptions {
  /** The machine when known; otherwise it is looked up by name. */
  machine: Machine | undefined;
  /** Aborted by a second signal: stop waiting, try each call once. */
  force: AbortSignal;
}

/**
 * Takes the machine out of service: disables it first so no new job arrives,
 * waits for running restylers (up to the drain timeout), then deletes it from
 * the registry. Failures are logged, never thrown: the caller still completes
 * the lifecycle action.
 */
export async function drainMachine(ctx: AgentContext, options: DrainMachineOptions): Promise<void> {
  const { api, config, log } = ctx;
  let machine = options.machine;
  if (!machine) {
    let lookedUp = false;
    machine = await api
      .findMachine(config.machineName, { signal: options.force })
      .then((found) => {
        lookedUp = true;
        return found;
      })
      .catch((error) => {
        log.error("could not look up the machine; draining without de-registering", {
          error: errorMessage(error),
        });
        return undefined;
      });
    if (lookedUp && !machine) {
      // The Webhooks service only sends jobs to registered machines.
      log.info("no machine registered under this name; nothing to drain");
      return;
    }
  }
  if (machine) {
    try {
      await api.setEnabled(machine.id, false, { signal: options.force });
      log.info("machine disabled; no new job will be sent", { machineId: machine.id });
    } catch (error) {
      log.error("could not disable the machine; draining anyway", { error: errorMessage(error) });
    }
  }

  const started = Date.now();
  log.info("waiting for running restyler containers", {
    timeout: formatDuration(config.drainTimeoutMs),
  });
  const result = await waitForRestylers({
    docker: ctx.docker,
    timeoutMs: config.drainTimeoutMs,
    relistIntervalMs: config.relistIntervalMs,
    signal: options.force,
    log,
    onProgress: (running) => log.debug("restylers running", { count: running.length }),
  });
  const waited = formatDuration(Date.now() - started);
  if (result.drained) {
    log.info("no restyler container is running", { waited });
  } else {
    log.warn(
      result.reason === "timeout"
        ? "drain timeout reached; jobs still running"
        : "drain cut short by a second signal; jobs still running",
      { waited, jobIds: result.remaining.map((r) => r.jobId ?? r.id.slice(0, 12)) },
    );
  }

  if (machine) {
    await deleteMachine(ctx, machine, options.force).catch((error) =>
      log.error("could not delete the machine from the registry", { error: errorMessage(error) }),
    );
  }
}
