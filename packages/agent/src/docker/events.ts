import type { Readable } from "node:stream";
import type { DockerEvent } from "../drain/restyler-tracker.js";
import { errorMessage, type Logger } from "../logger.js";
import type { DockerEngineClient } from "./engine-api.js";

export interface FollowOptions {
  docker: DockerEngineClient;
  log: Logger;
  onEvent: (event: DockerEvent) => void;
  /**
   * Called once the stream is open (again), or could not be opened: list now,
   * so nothing slips between the list and the events.
   */
  onOpen: () => void;
  /** Wait before retrying when the stream cannot be opened at all. */
  retryDelayMs: number;
}

/**
 * Follows the daemon's events that matter to a drain: restyler containers'
 * create, start, die and destroy, and image pulls (a pull comes before the
 * container that needed it). The stream is not filtered by label, since that
 * would drop the image events; the tracker checks the label. Reconnects when
 * the stream ends, until stopped.
 */
export function followDockerEvents(options: FollowOptions): { stop(): void } {
  const { docker, log } = options;
  let stopped = false;
  let stream: Readable | undefined;
  let timer: NodeJS.Timeout | undefined;
  // Stopping while the stream is being opened abandons the request.
  const opening = new AbortController();

  const open = async () => {
    try {
      // The client's deadline covers only the wait for the stream to open: a
      // stream quiet for longer (a long job) stays open. A stream that goes
      // quiet for good is covered by the re-list.
      const events = await docker.getEvents({
        filters: {
          type: ["container", "image"],
          event: ["create", "start", "die", "destroy", "pull"],
        },
        signal: opening.signal,
      });
      if (stopped) {
        events.destroy();
        return;
      }
      stream = events;
      let buffered = "";
      events.on("data", (chunk: Buffer) => {
        buffered += chunk.toString("utf8");
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          if (line.trim() === "") continue;
          let event: DockerEvent;
          try {
            event = JSON.parse(line) as DockerEvent;
          } catch {
            log.debug("skipping an unreadable docker event", { line: line.slice(0, 200) });
            continue;
          }
          options.onEvent(event);
        }
      });
      const reconnect = (why: string) => {
        if (stopped) return;
        log.warn("docker event stream ended; reconnecting", { why });
        stream = undefined;
        timer = setTimeout(() => void open(), 1_000);
      };
      events.on("error", (error) => reconnect(errorMessage(error)));
      events.on("end", () => reconnect("end"));
      options.onOpen();
    } catch (error) {
      if (stopped) return;
      log.warn("could not follow docker events; relying on re-lists", {
        error: errorMessage(error),
      });
      timer = setTimeout(() => void open(), options.retryDelayMs);
      options.onOpen();
    }
  };
  void open();

  return {
    stop() {
      stopped = true;
      opening.abort();
      clearTimeout(timer);
      stream?.removeAllListeners();
      stream?.on("error", () => undefined);
      stream?.destroy();
    },
  };
}
