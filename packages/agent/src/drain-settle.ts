/**
 * When a drain may end: Docker shows no restyler in flight *and* restyled.io
 * counts no job for the machine, both holding for the settle window.
 *
 * restyled.io's count is sampled: a non-zero count read at time `r` keeps
 * the machine busy until `r + settleMs`. When restyled.io cannot be read,
 * Docker alone decides once it has been unreadable for the settle window.
 * Pure bookkeeping on the times it is given, so it is tested without clocks.
 */
export class DrainSettle {
  readonly #settleMs: number;
  readonly #asksRestyled: boolean;
  #dockerBusy = true;
  #dockerQuietSince: number;
  #apiReadOnce = false;
  #apiCount: number | undefined;
  #apiBusyUntil: number;
  #apiFailingSince: number | undefined;

  /**
   * @param startedAt when the drain began (the machine was disabled): the
   *   window counts from here even when nothing was ever in flight.
   * @param asksRestyled false when there is no machine to ask about.
   */
  constructor(options: { settleMs: number; startedAt: number; asksRestyled: boolean }) {
    this.#settleMs = options.settleMs;
    this.#asksRestyled = options.asksRestyled;
    this.#dockerQuietSince = options.startedAt;
    this.#apiBusyUntil = options.startedAt;
  }

  /** Docker's view: `inFlight` restylers at `at`. */
  docker(inFlight: number, at: number): void {
    if (inFlight > 0) {
      this.#dockerBusy = true;
    } else if (this.#dockerBusy) {
      this.#dockerBusy = false;
      this.#dockerQuietSince = Math.max(this.#dockerQuietSince, at);
    }
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
    if (count > 0) this.#apiBusyUntil = Math.max(this.#apiBusyUntil, at);
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
      } else if ((this.#apiCount ?? 0) > 0) {
        return undefined;
      } else {
        quietSince = Math.max(quietSince, this.#apiBusyUntil);
      }
    }
    return quietSince + this.#settleMs;
  }
}
