import type { Machine } from "@restyled/core/restyled-api";
import type { AgentContext } from "./context.js";
import { drainMachine } from "./drain/drain-machine.js";
import { type DaemonWatch, watchDaemon } from "./in-service/daemon-watch.js";
import { scheduleHousekeeping } from "./in-service/housekeeping.js";
import {
  type CompletionOutcome,
  completeLifecycleAction,
  type Heartbeats,
  heartbeatIntervalFor,
  type LifecycleResult,
  startHeartbeats,
} from "./lifecycle/actions.js";
import { entersWarmPool, type LifecycleAction } from "./lifecycle/message.js";
import { type HandledAction, pollLifecycleQueue } from "./lifecycle/queue.js";
import { errorMessage, type LogFields, type Logger } from "./logger.js";
import { launchMachine } from "./registration/launch.js";
import { findResumableMachine } from "./registration/resume.js";
import { prepareForWarmPool } from "./registration/warm-pool.js";

/** `warmed`: set up for the warm pool, never registered; idle until the OS stops it. */
export type AgentPhase =
  | "starting"
  | "launching"
  | "warmed"
  | "in-service"
  | "draining"
  | "stopped";

/**
 * The agent: answers this instance's lifecycle actions from the queue (or,
 * without a queue, registers at once and serves until stopped). `stop()` is
 * what a signal calls: the first starts a graceful shutdown, the second forces
 * it; a pending lifecycle action is completed either way.
 */
export class Agent {
  readonly #ctx: AgentContext;
  readonly #stopping = new AbortController();
  readonly #forcing = new AbortController();
  #phase: AgentPhase = "starting";
  #machine: Machine | undefined;
  #watch: DaemonWatch | undefined;
  #housekeeping: { stop(): Promise<void> } | undefined;
  #shutdown: Promise<DrainAnswer> | undefined;
  /** Cancels the start-up lookup of an earlier registration. */
  readonly #resumeAbort = new AbortController();
  #log: Logger;

  constructor(ctx: AgentContext) {
    this.#ctx = ctx;
    this.#log = ctx.log.child({
      instanceId: ctx.config.instanceId,
      machine: ctx.config.machineName,
    });
  }

  get phase(): AgentPhase {
    return this.#phase;
  }

  /** First call: graceful shutdown. Later calls: force it (stop waiting for jobs). */
  stop(reason: string): void {
    if (!this.#stopping.signal.aborted) {
      this.#log.info(
        this.#isWarmed()
          ? "stopping: prepared for the warm pool and never registered; nothing to drain"
          : "stopping: draining, then de-registering",
        { reason, phase: this.#phase },
      );
      this.#stopping.abort();
    } else if (!this.#forcing.signal.aborted) {
      this.#log.warn("forced stop: no more waiting for jobs", { reason, phase: this.#phase });
      this.#forcing.abort();
    }
  }

  /** Runs until the instance terminates or the agent is stopped; resolves true when all went well. */
  async run(): Promise<boolean> {
    const { config } = this.#ctx;
    this.#log.info("agent starting", {
      queue: config.queueUrl ?? "none (registering at once)",
      dockerHost: config.dockerHost,
    });
    try {
      return config.queueUrl && this.#ctx.sqs
        ? await this.#runWithQueue(config.queueUrl)
        : await this.#runWithoutQueue();
    } finally {
      await this.#leaveService();
      this.#phase = "stopped";
      this.#log.info("agent stopped");
    }
  }

  async #runWithoutQueue(): Promise<boolean> {
    this.#phase = "launching";
    const outcome = await launchMachine(this.#childContext({}), this.#stopping.signal);
    if (outcome.machine) this.#machine = outcome.machine;
    // A launch cut short by a signal is a clean stop, not a failure.
    const stoppedDuringLaunch = outcome.result !== "CONTINUE" && this.#stopping.signal.aborted;
    if (outcome.result !== "CONTINUE" && !outcome.machine) {
      // Never registered: no job can have been sent here, so there is
      // nothing to drain (and the daemon may well be dead).
      if (!stoppedDuringLaunch) this.#log.error("the launch failed; nothing to drain, exiting");
      this.#phase = "stopped";
      return stoppedDuringLaunch;
    }
    if (outcome.result === "CONTINUE") {
      this.#enterService();
      await aborted(this.#stopping.signal);
    }
    const { completed } = await this.#drain(undefined);
    return (outcome.result === "CONTINUE" || stoppedDuringLaunch) && completed;
  }

  async #runWithQueue(queueUrl: string): Promise<boolean> {
    const { sqs } = this.#ctx;
    let ok = true;
    let terminated = false;
    // In the background: polling must not wait for restyled.io.
    const resuming = this.#resumeService();
    await pollLifecycleQueue({
      sqs: sqs!,
      queueUrl,
      instanceId: this.#ctx.config.instanceId,
      log: this.#log.child({ task: "queue" }),
      signal: this.#stopping.signal,
      retryDelayMs: this.#ctx.config.retryDelayMs,
      handle: async (action): Promise<HandledAction> => {
        this.#resumeAbort.abort();
        if (action.transition === "launching") {
          // AWS "Use lifecycle hooks with a warm pool": with a warm pool the
          // LAUNCHING hook pauses a new instance twice, at Warmed:Pending:Wait
          // (Destination WarmPool) and at Pending:Wait when it leaves the pool.
          const outcome = entersWarmPool(action)
            ? await this.#answerWarmPoolLaunch(action)
            : await this.#answerLaunch(action);
          ok &&= outcome === "completed";
          return handled(outcome, false);
        }
        // With ReuseOnScaleIn the TERMINATING hook pauses an instance going
        // back at Warmed:Pending:Wait (same AWS page). That is a drain like
        // any other: the instance stops next and starts with a new host name
        // and new certificates, so this registration must go. Polling stops
        // with it: the agent of the next start answers the launch out of the pool.
        const toPool = entersWarmPool(action);
        const log = this.#childContext(action).log;
        if (toPool) log.info("returning to the warm pool: draining, then de-registering");
        const { outcome } = await this.#drain(action);
        if (toPool && outcome === "completed") {
          log.info(
            "returned to the warm pool: the instance stops next; the agent of its next start answers the launch out of the pool",
          );
        }
        ok &&= outcome === "completed";
        terminated = true;
        return handled(outcome, true);
      },
    });
    this.#resumeAbort.abort();
    await resuming;
    // Stopped by a signal rather than by our TERMINATING action.
    if (terminated) return ok;
    if (this.#isWarmed()) {
      // Auto Scaling stops a warmed instance: the OS's SIGTERM is the normal
      // end here, and no job can have been sent to a machine never registered.
      this.#log.info("stopped in the warm pool: never registered, nothing to drain");
      return ok;
    }
    return (await this.#drain(undefined)).completed && ok;
  }

  /** Prepared for the warm pool, and nothing registered since. */
  #isWarmed(): boolean {
    return this.#phase === "warmed" && !this.#machine;
  }

  /**
   * A launch into the warm pool: check the daemon, register nothing, then
   * complete (CONTINUE lets Auto Scaling stop the instance; ABANDON makes it
   * replace the instance).
   */
  #answerWarmPoolLaunch(action: LifecycleAction): Promise<CompletionOutcome> {
    return this.#answerLaunching(action, async (ctx) => {
      ctx.log.info("launching into the warm pool: checking the daemon, registering nothing", {
        origin: action.origin,
      });
      const { result } = await prepareForWarmPool(ctx, this.#stopping.signal);
      this.#phase = result === "CONTINUE" ? "warmed" : "starting";
      return result;
    });
  }

  /** Launch (register), then complete. */
  #answerLaunch(action: LifecycleAction): Promise<CompletionOutcome> {
    return this.#answerLaunching(action, async (ctx) => {
      // Also when already in service (a repeated notification, or a restart
      // before the completion): the launch is idempotent and re-checks all.
      await this.#leaveService();
      this.#phase = "launching";
      if (action.origin === "WarmPool") {
        ctx.log.info(
          "leaving the warm pool: registering with this start's host name and certificates",
          { dockerHost: ctx.config.dockerHost },
        );
      }
      const outcome = await launchMachine(ctx, this.#stopping.signal);
      if (outcome.machine) this.#machine = outcome.machine;
      if (outcome.result === "CONTINUE") this.#enterService();
      else this.#phase = "starting";
      return outcome.result;
    });
  }

  /** Heartbeats while `work` runs, then the completion whatever happened (ABANDON on a throw). */
  async #answerLaunching(
    action: LifecycleAction,
    work: (ctx: AgentContext) => Promise<LifecycleResult>,
  ): Promise<CompletionOutcome> {
    const ctx = this.#childContext(action);
    let result: LifecycleResult = "ABANDON";
    let heartbeats: Heartbeats | undefined;
    try {
      heartbeats = this.#startHeartbeats(action, ctx.log);
      this.#phase = "launching";
      result = await work(ctx);
    } catch (error) {
      ctx.log.error("launch failed unexpectedly", { error: errorMessage(error) });
      result = "ABANDON";
      this.#phase = "starting";
    } finally {
      heartbeats?.stop();
    }
    return this.#complete(action, result, ctx.log);
  }

  /**
   * Disable, drain, de-register, then complete `action` (if any) with CONTINUE.
   * Runs once: a signal during a TERMINATING drain joins the drain in progress.
   */
  #drain(action: LifecycleAction | undefined): Promise<DrainAnswer> {
    this.#shutdown ??= (async (): Promise<DrainAnswer> => {
      const ctx = this.#childContext(action ?? {});
      this.#phase = "draining";
      // An expired action cannot be saved: stop waiting for jobs, de-register.
      const expired = new AbortController();
      let heartbeats: Heartbeats | undefined;
      let jobsCut = 0;
      try {
        // First, before anything slow: the notice may have waited in the queue.
        if (action) heartbeats = this.#startHeartbeats(action, ctx.log, () => expired.abort());
        await this.#leaveService();
        ({ jobsCut } = await drainMachine(ctx, {
          machine: this.#machine,
          force: AbortSignal.any([this.#forcing.signal, expired.signal]),
        }));
        this.#machine = undefined;
      } catch (error) {
        ctx.log.error("drain failed unexpectedly", { error: errorMessage(error) });
      } finally {
        heartbeats?.stop();
      }
      if (!action) return { completed: true, outcome: "completed" };
      const outcome = await this.#complete(action, "CONTINUE", ctx.log, { jobsCut });
      return { completed: outcome === "completed", outcome };
    })();
    return this.#shutdown;
  }

  /**
   * An agent restarted after its launch finds its machine still registered:
   * it is in service, so watching the daemon resumes at once instead of
   * waiting for a LAUNCHING notification that already came. Only a
   * registration of this start (same host and certificates) is resumed.
   */
  async #resumeService(): Promise<void> {
    try {
      const machine = await findResumableMachine(
        { ...this.#ctx, log: this.#log },
        AbortSignal.any([this.#stopping.signal, this.#resumeAbort.signal]),
      );
      // A lifecycle action or a signal came first: it decides.
      if (!machine || this.#resumeAbort.signal.aborted || this.#stopping.signal.aborted) return;
      this.#log.info("resuming service: the machine was registered by an earlier run", {
        machineId: machine.id,
        enabled: machine.enabled,
      });
      this.#machine = machine;
      this.#enterService();
    } catch (error) {
      if (this.#resumeAbort.signal.aborted || this.#stopping.signal.aborted) return;
      this.#log.warn("could not look for an earlier registration", { error: errorMessage(error) });
    }
  }

  #enterService(): void {
    this.#phase = "in-service";
    const { config, docker } = this.#ctx;
    if (this.#machine) this.#watch = watchDaemon(this.#childContext({}), this.#machine);
    this.#housekeeping = scheduleHousekeeping({
      docker,
      tempDir: config.tempDir,
      tempMaxAgeMs: config.tempMaxAgeMs,
      intervalMs: config.pruneIntervalMs,
      log: this.#log,
    });
  }

  async #leaveService(): Promise<void> {
    const watch = this.#watch;
    const housekeeping = this.#housekeeping;
    this.#watch = undefined;
    this.#housekeeping = undefined;
    await Promise.all([watch?.stop(), housekeeping?.stop()]);
  }

  /** Heartbeats start at once; the hook's timeout is read meanwhile. */
  #startHeartbeats(action: LifecycleAction, log: Logger, onExpired?: () => void): Heartbeats {
    const autoscaling = this.#requireAutoscaling();
    const intervalMs =
      this.#ctx.config.heartbeatIntervalMs ?? heartbeatIntervalFor({ autoscaling, action, log });
    void Promise.resolve(intervalMs).then((ms) =>
      log.debug("sending lifecycle heartbeats", { intervalMs: ms }),
    );
    return startHeartbeats({ autoscaling, action, intervalMs, log, onExpired });
  }

  #complete(
    action: LifecycleAction,
    result: LifecycleResult,
    log: Logger,
    fields?: LogFields,
  ): Promise<CompletionOutcome> {
    return completeLifecycleAction({
      autoscaling: this.#requireAutoscaling(),
      action,
      result,
      deadlineMs: this.#ctx.config.completionTimeoutMs,
      log,
      fields,
    });
  }

  #requireAutoscaling() {
    if (!this.#ctx.autoscaling) throw new Error("a lifecycle action needs an Auto Scaling client");
    return this.#ctx.autoscaling;
  }

  /** The context with a logger carrying the hook and transition being handled. */
  #childContext(action: Partial<LifecycleAction>): AgentContext {
    const fields: Record<string, unknown> = {};
    if (action.hookName) fields.hook = action.hookName;
    if (action.transition) fields.transition = action.transition;
    return { ...this.#ctx, log: this.#log.child(fields) };
  }
}

interface DrainAnswer {
  /** Drained and, with an action, completed it. */
  completed: boolean;
  outcome: CompletionOutcome;
}

/** An expired action's message is deleted too: nobody can complete it any more. */
function handled(outcome: CompletionOutcome, stop: boolean): HandledAction {
  return { completed: outcome === "completed", discard: outcome === "expired", stop };
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
}
