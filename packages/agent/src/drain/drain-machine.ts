import { formatDuration } from "@restyled/core/duration";
import type { Machine } from "@restyled/core/restyled-api";
import { RestyledApiError } from "@restyled/core/restyled-api";
import type { AgentContext } from "../context.js";
import { errorMessage } from "../logger.js";
import { deleteMachine, findMachine } from "../registration/machine.js";
import { type DrainResult, waitForRestylers } from "./wait-for-idle.js";

/** What the drain left behind, for the completion record. */
export interface DrainOutcome {
  /** Jobs still in flight when the drain stopped waiting (timeout or a second signal). */
  jobsCut: number;
}

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
export async function drainMachine(
  ctx: AgentContext,
  options: DrainMachineOptions,
): Promise<DrainOutcome> {
  const { config, log } = ctx;
  // A forced stop makes each call once rather than cutting it off: the
  // machine must still be disabled and de-registered.
  const api = () => (options.force.aborted ? ctx.apiOnce : ctx.api);
  let machine = options.machine;
  if (!machine) {
    let lookedUp = false;
    machine = await findMachine(api(), config.machineName)
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
      return { jobsCut: 0 };
    }
  }
  if (machine) {
    try {
      await api().setEnabled(machine.id, false);
      log.info("machine disabled; no new job will be sent", { machineId: machine.id });
    } catch (error) {
      log.error("could not disable the machine; draining anyway", { error: errorMessage(error) });
    }
  }

  const started = Date.now();
  log.info("waiting for running restyler containers", {
    timeout: formatDuration(config.drainTimeoutMs),
    settle: formatDuration(config.drainSettleMs),
  });
  const counted = machine;
  const result = await waitForRestylers({
    docker: ctx.docker,
    timeoutMs: config.drainTimeoutMs,
    relistIntervalMs: config.relistIntervalMs,
    settleMs: config.drainSettleMs,
    // Read per machine: /admin/machines/state lists enabled machines only,
    // and this one was just disabled.
    jobCount: counted
      ? (signal) =>
          ctx.apiOnce.getMachine(counted.id, { signal }).then(
            (found) => {
              if (typeof found.jobCount !== "number") {
                throw new Error("restyled.io's machine has no jobCount");
              }
              return found.jobCount;
            },
            (error: unknown) => {
              // Deleted by someone else: restyled.io sends it nothing more.
              if (error instanceof RestyledApiError && error.status === 404) return 0;
              throw error;
            },
          )
      : undefined,
    signal: options.force,
    log,
    onProgress: (inFlight) => log.debug("restylers in flight", { count: inFlight.length }),
  });
  const waited = formatDuration(Date.now() - started);
  if (result.drained) {
    log.info(
      result.fellBack
        ? "no restyler container in flight (restyled.io could not be read; Docker alone decided)"
        : "no restyler container in flight and restyled.io counts no job",
      { waited },
    );
    await deregister();
    return { jobsCut: 0 };
  }
  const jobsCut = reportCutJobs(log, result);
  log.warn(
    result.reason === "timeout"
      ? "drain timeout reached; jobs still running"
      : "drain cut short by a second signal; jobs still running",
    {
      waited,
      jobIds: result.remaining.map((r) => r.jobId ?? r.id.slice(0, 12)),
      jobCount: result.jobCount,
      jobsCut,
    },
  );
  await deregister();
  return { jobsCut };

  async function deregister(): Promise<void> {
    if (!machine) return;
    await deleteMachine(ctx, machine, api()).catch((error) =>
      log.error("could not delete the machine from the registry", { error: errorMessage(error) }),
    );
  }
}

/**
 * Logs each job the drain stopped waiting for: every restyler container in
 * flight, plus the jobs restyled.io counts that have no container yet.
 * Returns how many were cut.
 */
function reportCutJobs(log: AgentContext["log"], result: DrainResult): number {
  for (const restyler of result.remaining) {
    log.warn("job cut by the drain", {
      jobId: restyler.jobId,
      container: restyler.id.slice(0, 12),
      state: restyler.state,
      reason: result.reason,
    });
  }
  const withoutContainer = Math.max(0, (result.jobCount ?? 0) - result.remaining.length);
  if (withoutContainer > 0) {
    log.warn("jobs cut by the drain before their container existed", {
      count: withoutContainer,
      jobCount: result.jobCount,
      reason: result.reason,
    });
  }
  return result.remaining.length + withoutContainer;
}
