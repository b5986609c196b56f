import { isStaleCreated, type Restyler } from "../docker/client.js";

/** An event as Docker's event stream sends it (the fields used here). */
export interface DockerEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  /** Seconds since the epoch. */
  time?: number;
  timeNano?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** Kept for callers that named the container-only shape. */
export type ContainerEvent = DockerEvent;

/** What an event meant for the drain. */
export type EventEffect = "none" | "changed" | "activity";

/**
 * Which restyler containers are in flight (created or running), from a list
 * plus the events seen since.
 *
 * A list taken just after a container exits can still show it (the daemon
 * emits `die` before its list view catches up), so exits seen as events are
 * subtracted from every list; creations and starts seen as events are added
 * until a list includes them. A later `start` of the same container undoes
 * its `die`.
 */
export class RestylerTracker {
  #listed = new Map<string, Restyler>();
  #seen = new Map<string, Restyler>();
  #exited = new Set<string>();

  /** Records a fresh list of in-flight restylers. */
  listed(inFlight: Restyler[]): void {
    this.#listed = new Map(inFlight.map((r) => [r.id, r]));
    for (const id of this.#listed.keys()) this.#seen.delete(id);
  }

  /**
   * Records one event. A restyler's `create`, `start`, `die` or `destroy`
   * changes what is in flight; an image `pull` is activity: the container
   * that needed the image is about to be created.
   */
  event(event: DockerEvent): EventEffect {
    const action = event.Action ?? event.status;
    if (event.Type === "image") return action === "pull" ? "activity" : "none";
    const id = event.Actor?.ID ?? event.id;
    if (!id) return "none";
    // The stream also carries other containers' events (a label filter would
    // drop the image events), so the label is checked here.
    const labels = event.Actor?.Attributes;
    if (labels && !("restyler" in labels)) return "none";
    const jobId = labels?.["job-id"];
    if (action === "create" || action === "start") {
      this.#exited.delete(id);
      const known = this.#listed.get(id) ?? this.#seen.get(id);
      this.#seen.set(id, {
        id,
        jobId: jobId ?? known?.jobId,
        state: action === "start" ? "running" : "created",
        createdAt: known?.createdAt ?? eventTime(event),
      });
      return "changed";
    }
    if (action === "die" || action === "destroy") {
      this.#seen.delete(id);
      this.#exited.add(id);
      return "changed";
    }
    return "none";
  }

  /** Created (recently) or running restylers. */
  inFlight(now = Date.now()): Restyler[] {
    const all = new Map([...this.#listed, ...this.#seen]);
    return [...all.values()].filter((r) => !this.#exited.has(r.id) && !isStaleCreated(r, now));
  }

  /** Running restylers only. */
  running(now = Date.now()): Restyler[] {
    return this.inFlight(now).filter((r) => r.state !== "created");
  }
}

/** When the daemon says an event happened (epoch ms), if it says. */
export function eventTime(event: DockerEvent): number | undefined {
  if (event.timeNano) return Math.floor(event.timeNano / 1e6);
  if (event.time) return event.time * 1000;
  return undefined;
}
