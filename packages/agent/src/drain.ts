import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { listRestylers, type Restyler } from "./docker.js";
import { errorMessage, type Logger } from "./logger.js";

export interface DrainOptions {
  docker: Docker;
  /** Give up waiting after this long. */
  timeoutMs: number;
  /** Safety-net re-list, in case an event is lost or the stream drops. */
  relistIntervalMs: number;
  /** Aborting stops the wait at once (a forced shutdown). */
  signal?: AbortSignal;
  log: Logger;
  /** Called with each fresh count of running restylers. */
  onProgress?: (running: Restyler[]) => void;
}

export interface DrainResult {
  drained: boolean;
  /** What still ran when the wait stopped (timeout, abort). */
  remaining: Restyler[];
  reason: "drained" | "timeout" | "aborted";
}

/**
 * Waits until no running container carries the label `restyler`. The event
 * stream (container die/start/...) triggers a fresh list at once, so the wait
 * ends within one list round-trip of the last exit; a periodic re-list covers
 * lost events and reconnects. The stream is opened before the first list so no
 * exit can slip between them.
 */
export function waitForRestylers(options: DrainOptions): Promise<DrainResult> {
  const { docker, log } = options;
  return new Promise<DrainResult>((resolve) => {
    let finished = false;
    let remaining: Restyler[] = [];
    let stream: Readable | undefined;
    let listing = false;
    let listAgain = false;
    let reconnectTimer: NodeJS.Timeout | undefined;

    const finish = (reason: DrainResult["reason"]) => {
      if (finished) return;
      finished = true;
      clearTimeout(timeout);
      clearInterval(relist);
      clearTimeout(reconnectTimer);
      options.signal?.removeEventListener("abort", onAbort);
      stream?.removeAllListeners();
      stream?.on("error", () => undefined);
      stream?.destroy();
      resolve({
        drained: reason === "drained",
        remaining: reason === "drained" ? [] : remaining,
        reason,
      });
    };

    // Lists are serialised; an event during a list asks for one more, so the
    // last answer always reflects the last event.
    const refresh = async () => {
      if (finished) return;
      if (listing) {
        listAgain = true;
        return;
      }
      listing = true;
      try {
        do {
          listAgain = false;
          remaining = await listRestylers(docker);
          options.onProgress?.(remaining);
        } while (listAgain && !finished);
        if (remaining.length === 0) finish("drained");
      } catch (error) {
        log.warn("could not list restyler containers; retrying", { error: errorMessage(error) });
      } finally {
        listing = false;
      }
    };

    const follow = async () => {
      try {
        const events = (await docker.getEvents({
          filters: { type: ["container"], label: ["restyler"] },
        })) as unknown as Readable;
        if (finished) {
          events.destroy();
          return;
        }
        stream = events;
        events.on("data", () => void refresh());
        const reconnect = (why: string) => {
          if (finished) return;
          log.warn("docker event stream ended; reconnecting", { why });
          stream = undefined;
          reconnectTimer = setTimeout(() => void follow().then(refresh), 1_000);
        };
        events.on("error", (error) => reconnect(errorMessage(error)));
        events.on("end", () => reconnect("end"));
      } catch (error) {
        if (finished) return;
        log.warn("could not follow docker events; relying on re-lists", {
          error: errorMessage(error),
        });
        reconnectTimer = setTimeout(() => void follow().then(refresh), options.relistIntervalMs);
      }
    };

    const onAbort = () => finish("aborted");
    const timeout = setTimeout(() => finish("timeout"), options.timeoutMs);
    const relist = setInterval(() => void refresh(), options.relistIntervalMs);
    if (options.signal?.aborted) {
      finish("aborted");
      return;
    }
    options.signal?.addEventListener("abort", onAbort, { once: true });
    void follow().then(refresh);
  });
}
