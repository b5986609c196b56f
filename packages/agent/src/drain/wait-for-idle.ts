import { setTimeout as sleep } from "node:timers/promises";
import { listRestylers, type Restyler } from "../docker/client.js";
import type { DockerEngineClient } from "../docker/engine-api.js";
import { followDockerEvents } from "../docker/events.js";
import { errorMessage, type Logger } from "../logger.js";
import { eventTime, RestylerTracker } from "./restyler-tracker.js";
import { DrainSettle } from "./settle.js";

const FINAL_LIST_TIMEOUT_MS = 2_000;
/** How long before a drain's end the last list is taken. */
const CONFIRM_LEAD_MS = 250;

export interface DrainOptions {
  docker: DockerEngineClient;
  /** Give up waiting after this long. */
  timeoutMs: number;
  /** Safety-net re-list, in case an event is lost or the stream drops. */
  relistIntervalMs: number;
  /** How long Docker and restyled.io must both show no work before the drain ends (default 0). */
  settleMs?: number;
  /**
   * restyled.io's count of jobs dispatched to this machine and not finished;
   * without it, Docker alone decides.
   */
  jobCount?: (signal: AbortSignal) => Promise<number>;
  /** How often `jobCount` is read (default 1 s). */
  jobCountIntervalMs?: number;
  /** Aborting stops the wait at once (a forced shutdown). */
  signal?: AbortSignal;
  log: Logger;
  /** Called with each fresh view of the restylers in flight. */
  onProgress?: (inFlight: Restyler[]) => void;
}

export interface DrainResult {
  drained: boolean;
  /** Restyler containers still in flight when the wait stopped (timeout, abort). */
  remaining: Restyler[];
  /** restyled.io's last count for the machine; undefined when not read or unreadable. */
  jobCount: number | undefined;
  /** Docker alone decided: restyled.io could not be read for the settle window. */
  fellBack: boolean;
  reason: "drained" | "timeout" | "aborted";
}

/**
 * Waits until no container labelled `restyler` is created or running and
 * restyled.io counts no job for the machine, both for the settle window.
 * Follows Docker's event stream, so the last exit starts the window at once;
 * an image pull restarts it. The stream is opened before the first list so
 * nothing slips between them; a periodic re-list covers lost events, and a
 * last list confirms before the drain ends.
 */
export function waitForRestylers(options: DrainOptions): Promise<DrainResult> {
  const { docker, log } = options;
  const settleMs = options.settleMs ?? 0;
  const tracker = new RestylerTracker();
  const settle = new DrainSettle({
    settleMs,
    startedAt: Date.now(),
    asksRestyled: options.jobCount !== undefined,
    readIntervalMs: options.jobCountIntervalMs,
  });
  const own = new AbortController();
  return new Promise<DrainResult>((resolve) => {
    let finished = false;
    let listedOnce = false;
    let confirming = false;
    let confirmedFor: number | undefined;
    let readyTimer: NodeJS.Timeout | undefined;
    let toldFallback = false;

    const finish = (reason: DrainResult["reason"]) => {
      if (finished) return;
      finished = true;
      clearTimeout(timeout);
      clearInterval(relist);
      clearTimeout(readyTimer);
      options.signal?.removeEventListener("abort", onAbort);
      own.abort();
      events.stop();
      const result = (remaining: Restyler[]): DrainResult => ({
        drained: reason === "drained",
        remaining,
        jobCount: settle.lastJobCount,
        fellBack: settle.fallingBack(Date.now()),
        reason,
      });
      if (reason === "drained") resolve(result([]));
      else void stillInFlight().then((remaining) => resolve(result(remaining)));
    };

    // Stopped before the first list came back (an early second signal): one
    // quick list, so the log still names the jobs left running.
    const stillInFlight = async (): Promise<Restyler[]> => {
      if (!listedOnce) {
        try {
          tracker.listed(
            await abortable(listRestylers(docker), AbortSignal.timeout(FINAL_LIST_TIMEOUT_MS)),
          );
        } catch (error) {
          log.debug("could not list what still runs", { error: errorMessage(error) });
        }
      }
      return tracker.inFlight();
    };

    const dockerChanged = (at = Date.now()) => {
      const inFlight = tracker.inFlight();
      settle.docker(inFlight.length, at);
      options.onProgress?.(inFlight);
    };

    /**
     * Ends the drain when the window has passed, or sets a timer for when it
     * will. A last list confirms each end time shortly before it comes (the
     * event stream may have missed a create), so the list's round trip is not
     * added to the drain; events cover the moments after it.
     */
    const evaluate = () => {
      if (finished || !listedOnce || confirming) return;
      clearTimeout(readyTimer);
      readyTimer = undefined;
      const readyAt = settle.readyAt();
      if (readyAt === undefined) return;
      const wait = readyAt - Date.now();
      if (confirmedFor !== readyAt) {
        if (wait > CONFIRM_LEAD_MS) {
          readyTimer = setTimeout(evaluate, wait - CONFIRM_LEAD_MS);
          return;
        }
        void confirm(readyAt);
        return;
      }
      if (wait > 0) {
        readyTimer = setTimeout(evaluate, wait);
        return;
      }
      finish("drained");
    };

    const confirm = async (readyAt: number) => {
      confirming = true;
      try {
        tracker.listed(await listRestylers(docker));
        if (finished) return;
        dockerChanged();
        // Unchanged by the list or by events meanwhile: this end time holds.
        if (settle.readyAt() === readyAt) confirmedFor = readyAt;
      } catch (error) {
        log.warn("could not list restyler containers; retrying", { error: errorMessage(error) });
        confirming = false;
        // Not at once: a daemon that does not answer would be asked in a loop.
        readyTimer = setTimeout(evaluate, options.relistIntervalMs);
        return;
      }
      confirming = false;
      evaluate();
    };

    const list = async () => {
      if (finished) return;
      try {
        tracker.listed(await listRestylers(docker));
        if (finished) return;
        listedOnce = true;
        dockerChanged();
        evaluate();
      } catch (error) {
        log.warn("could not list restyler containers; retrying", { error: errorMessage(error) });
      }
    };

    const pollJobCount = async (read: (signal: AbortSignal) => Promise<number>) => {
      const intervalMs = options.jobCountIntervalMs ?? 1_000;
      let failing = false;
      while (!own.signal.aborted) {
        const attempt = AbortSignal.any([
          own.signal,
          AbortSignal.timeout(Math.max(intervalMs, 5_000)),
        ]);
        try {
          const count = await abortable(read(attempt), attempt);
          settle.jobCount(count, Date.now());
          if (failing) log.info("restyled.io answers again", { jobCount: count });
          failing = false;
          toldFallback = false;
          if (count > 0)
            log.debug("restyled.io still counts jobs for this machine", { jobCount: count });
        } catch (error) {
          if (own.signal.aborted) return;
          settle.jobCountFailed(Date.now());
          if (!failing) {
            log.warn("could not read the machine's job count from restyled.io", {
              error: errorMessage(error),
            });
          }
          failing = true;
          if (!toldFallback && settle.fallingBack(Date.now())) {
            toldFallback = true;
            log.warn("restyled.io unreadable for the settle window; Docker alone decides", {
              settleMs,
            });
          }
        }
        evaluate();
        await sleep(intervalMs, undefined, { signal: own.signal }).catch(() => undefined);
      }
    };

    const onAbort = () => finish("aborted");
    const timeout = setTimeout(() => finish("timeout"), options.timeoutMs);
    const relist = setInterval(() => void list(), options.relistIntervalMs);
    const events = followDockerEvents({
      docker,
      log,
      retryDelayMs: options.relistIntervalMs,
      onOpen: () => void list(),
      onEvent: (event) => {
        const effect = tracker.event(event);
        if (effect === "activity") {
          log.debug("image pulled: a job is about to start", { image: event.Actor?.ID });
          settle.activity(Date.now());
        } else if (effect === "changed") {
          // The daemon's own time of the exit (same host, same clock), not
          // when the event reached us: the window counts from the exit.
          const at = Math.min(eventTime(event) ?? Date.now(), Date.now());
          const action = event.Action ?? event.status;
          const id = event.Actor?.ID ?? event.id;
          if (id && (action === "die" || action === "destroy")) settle.exited(id, at);
          dockerChanged(at);
        } else {
          return;
        }
        evaluate();
      },
    });
    if (options.signal?.aborted) {
      finish("aborted");
      return;
    }
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.jobCount) void pollJobCount(options.jobCount);
  });
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (a read that hangs). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error("aborted"));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
