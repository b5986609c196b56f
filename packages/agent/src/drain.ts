import type { Socket } from "node:net";
import type { Readable } from "node:stream";
import type Docker from "dockerode";
import { listRestylers, type Restyler } from "./docker.js";
import { errorMessage, type Logger } from "./logger.js";
import { type ContainerEvent, RestylerTracker } from "./restyler-tracker.js";

const FINAL_LIST_TIMEOUT_MS = 2_000;

export interface DrainOptions {
  docker: Docker;
  /** Give up waiting after this long. */
  timeoutMs: number;
  /** Safety-net re-list, in case an event is lost or the stream drops. */
  relistIntervalMs: number;
  /** Aborting stops the wait at once (a forced shutdown). */
  signal?: AbortSignal;
  log: Logger;
  /** Called with each fresh view of the running restylers. */
  onProgress?: (running: Restyler[]) => void;
}

export interface DrainResult {
  drained: boolean;
  /** What still ran when the wait stopped (timeout, abort). */
  remaining: Restyler[];
  reason: "drained" | "timeout" | "aborted";
}

/**
 * Waits until no running container carries the label `restyler`, following
 * Docker's event stream: the last `die` ends the wait at once, with no list
 * round-trip. The stream is opened before the first list so no exit slips
 * between them; a periodic re-list covers lost events and reconnects.
 */
export function waitForRestylers(options: DrainOptions): Promise<DrainResult> {
  const { docker, log } = options;
  const tracker = new RestylerTracker();
  return new Promise<DrainResult>((resolve) => {
    let finished = false;
    let listedOnce = false;
    let stream: Readable | undefined;
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
      if (reason === "drained") resolve({ drained: true, remaining: [], reason });
      else void stillRunning().then((remaining) => resolve({ drained: false, remaining, reason }));
    };

    // Stopped before the first list came back (an early second signal): one
    // quick list, so the log still names the jobs left running.
    const stillRunning = async (): Promise<Restyler[]> => {
      if (!listedOnce) {
        let timer: NodeJS.Timeout | undefined;
        const tooSlow = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("too slow")), FINAL_LIST_TIMEOUT_MS);
        });
        try {
          tracker.listed(await Promise.race([listRestylers(docker), tooSlow]));
        } catch (error) {
          log.debug("could not list what still runs", { error: errorMessage(error) });
        } finally {
          clearTimeout(timer);
        }
      }
      return tracker.running();
    };

    const check = () => {
      if (finished || !listedOnce) return;
      const running = tracker.running();
      options.onProgress?.(running);
      if (running.length === 0) finish("drained");
    };

    const list = async () => {
      if (finished) return;
      try {
        tracker.listed(await listRestylers(docker));
        listedOnce = true;
        check();
      } catch (error) {
        log.warn("could not list restyler containers; retrying", { error: errorMessage(error) });
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
        // The client's timeout is an idle timeout on the socket: it would cut
        // the stream after that long without an event (a job longer than 10 s),
        // every time. A stream that goes quiet is covered by the re-list.
        (events as Readable & { socket?: Socket }).socket?.setTimeout(0);
        stream = events;
        let buffered = "";
        events.on("data", (chunk: Buffer) => {
          buffered += chunk.toString("utf8");
          const lines = buffered.split("\n");
          buffered = lines.pop() ?? "";
          let changed = false;
          for (const line of lines) {
            if (line.trim() === "") continue;
            try {
              changed = tracker.event(JSON.parse(line) as ContainerEvent) || changed;
            } catch {
              log.debug("skipping an unreadable docker event", { line: line.slice(0, 200) });
            }
          }
          if (changed) check();
        });
        const reconnect = (why: string) => {
          if (finished) return;
          log.warn("docker event stream ended; reconnecting", { why });
          stream = undefined;
          reconnectTimer = setTimeout(() => void follow().then(list), 1_000);
        };
        events.on("error", (error) => reconnect(errorMessage(error)));
        events.on("end", () => reconnect("end"));
      } catch (error) {
        if (finished) return;
        log.warn("could not follow docker events; relying on re-lists", {
          error: errorMessage(error),
        });
        reconnectTimer = setTimeout(() => void follow().then(list), options.relistIntervalMs);
      }
    };

    const onAbort = () => finish("aborted");
    const timeout = setTimeout(() => finish("timeout"), options.timeoutMs);
    const relist = setInterval(() => void list(), options.relistIntervalMs);
    if (options.signal?.aborted) {
      finish("aborted");
      return;
    }
    options.signal?.addEventListener("abort", onAbort, { once: true });
    void follow().then(list);
  });
}
