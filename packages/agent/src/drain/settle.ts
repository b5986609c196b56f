/**
 * When a drain may end: Docker shows no restyler in flight *and* restyled.io
 * counts no job for the machine that Docker cannot account for, both holding
 * for the settle window.
 *
 * restyled.io's count is sampled, and it sees a job finish a little after
 * Docker does. So a count read at time `r` is first explained by the
 * restyler containers Docker shows in flight at `r` or saw exit shortly
 * before (`explainMs`, under half the window); only the rest, jobs with no
 * container yet, keeps the machine busy until `r + settleMs`. That is safe
 * because the count is read every second and `explainMs` leaves room for two
 * reads in the window: a job without a container that was hidden behind a
 * recent exit is counted as unexplained again by a read before the window ends. When restyled.io cannot be read,
 * Docker alone decides once it has been unreadable for the settle window.
 * Pure bookkeeping on the times it is given, so it is tested without clocks.
 */
/**
 * How long after an exit restyled.io may still count that job. Capped so two
 * reads of the count still fall inside the window after it.
 */
export const EXPLAIN_MS = 2_000;

export class DrainSettle {
  readonly #settleMs: number;
  readonly #asksRestyled: boolean;
  #dockerBusy = true;
  #dockerQuietSince: number;
  #apiReadOnce = false;
  #apiCount: number | undefined;
  #apiBusyUntil: number;
  #apiFailingSince: number | undefined;
  #inFlight = 0;
  #apiUnexplained = 0;
  readonly #exits = new Map<string, number>();
  readonly #explainMs: number;

  /**
   * @param startedAt when the drain began (the machine was disabled): the
   *   window counts from here even when nothing was ever in flight.
   * @param asksRestyled false when there is no machine to ask about.
   */
  constructor(options: {
    settleMs: number;
    startedAt: number;
    asksRestyled: boolean;
    /** How often restyled.io is read (default 1 s): an explanation must leave room for two reads. */
    readIntervalMs?: number;
  }) {
    this.#settleMs = options.settleMs;
    this.#asksRestyled = options.asksRestyled;
    this.#dockerQuietSince = options.startedAt;
    this.#apiBusyUntil = options.startedAt;
    const readIntervalMs = options.readIntervalMs ?? 1_000;
    this.#explainMs = Math.max(0, Math.min(EXPLAIN_MS, options.settleMs - 2 * readIntervalMs));
  }

  /** Docker's view: `inFlight` restylers at `at`. */
  docker(inFlight: number, at: number): void {
    this.#inFlight = inFlight;
    if (inFlight > 0) {
      this.#dockerBusy = true;
    } else if (this.#dockerBusy) {
      this.#dockerBusy = false;
      this.#dockerQuietSince = Math.max(this.#dockerQuietSince, at);
    }
  }

  /** Docker saw restyler `id` exit at `at`. */
  exited(id: string, at: number): void {
    if (!this.#exits.has(id)) this.#exits.set(id, at);
  }

  /** Activity that is not a container yet (an image pull): the window restarts. */
  activity(at: number): void {
    this.#dockerQuietSince = Math.max(this.#dockerQuietSince, at);
  }

  /** restyled.io's `jobCount` for the machine, read at `at`. */
  jobCount(count: number, at: number): void {
    this.#apiReadOnce = true;
    this.#apiCount = count;
    this.#apiFailingSince = undefined;
    let recentExits = 0;
    for (const exitedAt of this.#exits.values()) {
      if (exitedAt <= at && at - exitedAt <= this.#explainMs) recentExits += 1;
    }
    this.#apiUnexplained = Math.max(0, count - this.#inFlight - recentExits);
    if (this.#apiUnexplained > 0) this.#apiBusyUntil = Math.max(this.#apiBusyUntil, at);
  }

  /** restyled.io could not be read at `at`. */
  jobCountFailed(at: number): void {
    this.#apiReadOnce = true;
    this.#apiCount = undefined;
    this.#apiFailingSince ??= at;
  }

  /** The last count read, undefined when the last read failed or none was made. */
  get lastJobCount(): number | undefined {
    return this.#apiCount;
  }

  /** Whether Docker alone decides (restyled.io unreadable for the window) at `now`. */
  fallingBack(now: number): boolean {
    return (
      this.#asksRestyled &&
      this.#apiFailingSince !== undefined &&
      now - this.#apiFailingSince >= this.#settleMs
    );
  }

  /**
   * The earliest time the drain may end given what is known, or undefined
   * while something is in flight (or restyled.io has not been read yet).
   */
  readyAt(): number | undefined {
    if (this.#dockerBusy) return undefined;
    let quietSince = this.#dockerQuietSince;
    if (this.#asksRestyled) {
      if (!this.#apiReadOnce) return undefined;
      if (this.#apiFailingSince !== undefined) {
        quietSince = Math.max(quietSince, this.#apiBusyUntil, this.#apiFailingSince);
      } else if (this.#apiUnexplained > 0) {
        return undefined;
      } else {
        quietSince = Math.max(quietSince, this.#apiBusyUntil);
      }
    }
    return quietSince + this.#settleMs;
  }
}
