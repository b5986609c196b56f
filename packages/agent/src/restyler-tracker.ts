import type { Restyler } from "./docker.js";

/** A container event as Docker's event stream sends it (the fields used here). */
export interface ContainerEvent {
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/**
 * Which restyler containers run, from a list plus the events seen since.
 *
 * A list taken just after a container exits can still show it running (the
 * daemon emits `die` before its list view catches up), so exits seen as events
 * are subtracted from every list; starts seen as events are added until a list
 * includes them. A later `start` of the same container undoes its `die`.
 */
export class RestylerTracker {
  #listed = new Map<string, Restyler>();
  #started = new Map<string, Restyler>();
  #exited = new Set<string>();

  /** Records a fresh list of running restylers. */
  listed(running: Restyler[]): void {
    this.#listed = new Map(running.map((r) => [r.id, r]));
    for (const id of this.#listed.keys()) this.#started.delete(id);
  }

  /** Records one event; returns whether it changed what runs. */
  event(event: ContainerEvent): boolean {
    const action = event.Action ?? event.status;
    const id = event.Actor?.ID ?? event.id;
    if (!id) return false;
    if (action === "start") {
      this.#exited.delete(id);
      this.#started.set(id, { id, jobId: event.Actor?.Attributes?.["job-id"] });
      return true;
    }
    if (action === "die" || action === "destroy") {
      this.#started.delete(id);
      this.#exited.add(id);
      return true;
    }
    return false;
  }

  running(): Restyler[] {
    const all = new Map([...this.#listed, ...this.#started]);
    return [...all.values()].filter((r) => !this.#exited.has(r.id));
  }
}
