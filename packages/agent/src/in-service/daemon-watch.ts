import type { Machine } from "@restyled/core/restyled-api";
import type { AgentContext } from "../context.js";
import { errorMessage } from "../logger.js";

/** Failed checks in a row before the machine is disabled: one blip is not an outage. */
const FAILURES_BEFORE_DISABLE = 2;

export interface DaemonWatch {
  stop(): Promise<void>;
}

/**
 * While in service, checks the local daemon through its mutual-TLS endpoint
 * every `daemonCheckIntervalMs`. When it stops answering the machine is
 * disabled, so no job goes to a dead daemon; when it answers again the machine
 * is enabled again. A failed PATCH is retried at the next check.
 */
export function watchDaemon(ctx: AgentContext, machine: Machine): DaemonWatch {
  // One attempt each: the next check retries anyway.
  const { apiOnce: api, log, docker } = ctx;
  let failures = 0;
  let disabledByUs = false;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();

  const check = async () => {
    let healthy: boolean;
    try {
      await docker.ping();
      healthy = true;
    } catch (error) {
      healthy = false;
      failures += 1;
      log.warn("the Docker daemon did not answer", { error: errorMessage(error), failures });
    }
    if (stopped) return;
    try {
      if (healthy) {
        failures = 0;
        if (disabledByUs) {
          await api.setEnabled(machine.id, true);
          disabledByUs = false;
          log.info("daemon answering again; machine enabled", { machineId: machine.id });
        }
      } else if (!disabledByUs && failures >= FAILURES_BEFORE_DISABLE) {
        await api.setEnabled(machine.id, false);
        disabledByUs = true;
        log.error("daemon unreachable; machine disabled", { machineId: machine.id });
      }
    } catch (error) {
      log.warn("could not update the machine; will retry", { error: errorMessage(error) });
    }
  };

  // A slow check (a hung daemon waits out the client timeout) is never
  // overlapped by the next one.
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    current = check().finally(() => {
      running = false;
    });
  }, ctx.config.daemonCheckIntervalMs);

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
