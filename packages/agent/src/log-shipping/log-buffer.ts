/**
 * The documented limits of one PutLogEvents call (CloudWatch Logs API
 * reference): events, bytes (each event's UTF-8 message plus 26), the size of
 * one event (the long-standing 256 KB, safe under today's larger limit), and
 * the time one batch may span.
 */
export const PUT_LOG_EVENTS = {
  maxEvents: 10_000,
  maxBatchBytes: 1_048_576,
  eventOverheadBytes: 26,
  maxEventBytes: 262_144,
  maxSpanMs: 24 * 60 * 60 * 1000,
} as const;

/** One log line waiting to be shipped. */
export interface BufferedEvent {
  timestamp: number;
  message: string;
  /** Its size as PutLogEvents counts it: UTF-8 bytes plus the per-event overhead. */
  bytes: number;
  /** Set on the warning line saying how many lines were dropped. */
  dropNotice?: number;
}

export interface LogBufferLimits {
  /** Lines kept at most; past it the oldest are dropped. */
  maxEvents: number;
  /** Bytes (as counted for PutLogEvents) kept at most; likewise. */
  maxBytes: number;
}

/**
 * A bounded queue of log lines in the order written. Adding never blocks and
 * never fails: when full, the oldest lines go, and how many is counted so the
 * loss is itself logged. Timestamps never go backwards (a clock stepped back
 * would otherwise make a batch that PutLogEvents refuses as unsorted).
 */
export class LogBuffer {
  readonly #limits: LogBufferLimits;
  #events: BufferedEvent[] = [];
  #head = 0;
  #bytes = 0;
  #dropped = 0;
  #lastTimestamp = 0;

  constructor(limits: LogBufferLimits) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#events.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  push(message: string, timestamp = Date.now()): void {
    const text = fitEvent(message === "" ? " " : message);
    this.#lastTimestamp = Math.max(this.#lastTimestamp, timestamp);
    const event = {
      timestamp: this.#lastTimestamp,
      message: text,
      bytes: eventBytes(text),
    };
    this.#events.push(event);
    this.#bytes += event.bytes;
    this.#trim();
  }

  /**
   * Takes the oldest lines that fit one PutLogEvents call: at most 10,000,
   * at most 1,048,576 bytes with their overhead, spanning at most 24 hours.
   * When lines were dropped since the last shipped warning, it starts with a
   * warning line saying how many (`dropped`), counted within the same limits;
   * the count is cleared only by `droppedShipped`, once that batch is shipped.
   */
  takeBatch(): { events: BufferedEvent[]; dropped: number } {
    const events: BufferedEvent[] = [];
    let bytes = 0;
    const dropped = this.size > 0 ? this.#dropped : 0;
    if (dropped > 0) {
      const first = this.#events[this.#head]!;
      const message = JSON.stringify({
        time: new Date(first.timestamp).toISOString(),
        level: "warn",
        msg: "log buffer full: dropped the oldest lines",
        dropped,
      });
      // With the first kept line's time, so the batch stays in order.
      const warning = {
        timestamp: first.timestamp,
        message,
        bytes: eventBytes(message),
        dropNotice: dropped,
      };
      events.push(warning);
      bytes += warning.bytes;
    }
    while (this.size > 0 && events.length < PUT_LOG_EVENTS.maxEvents) {
      const event = this.#events[this.#head]!;
      if (bytes + event.bytes > PUT_LOG_EVENTS.maxBatchBytes) break;
      if (events.length > 0 && event.timestamp - events[0]!.timestamp > PUT_LOG_EVENTS.maxSpanMs) {
        break;
      }
      events.push(event);
      bytes += event.bytes;
      this.#shift();
    }
    this.#compact();
    return { events, dropped };
  }

  /** The warning of a shipped batch reached CloudWatch: count only drops after it. */
  droppedShipped(count: number): void {
    this.#dropped -= count;
  }

  /** Puts a batch that could not be shipped back in front, still within the limits. */
  putBack(shipped: BufferedEvent[]): void {
    // The drop warning is made afresh for the next batch, with the count then.
    const batch = shipped.filter((event) => event.dropNotice === undefined);
    if (batch.length === 0) return;
    const rest = this.#events.slice(this.#head);
    this.#events = [...batch, ...rest];
    this.#head = 0;
    for (const event of batch) this.#bytes += event.bytes;
    this.#trim();
  }

  #trim(): void {
    while (this.size > this.#limits.maxEvents || this.#bytes > this.#limits.maxBytes) {
      this.#shift();
      this.#dropped += 1;
    }
    this.#compact();
  }

  #shift(): void {
    const event = this.#events[this.#head]!;
    this.#bytes -= event.bytes;
    this.#head += 1;
  }

  // Drop the consumed front now and then, so shifting stays O(1) amortised.
  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#head = 0;
    }
  }
}

function eventBytes(message: string): number {
  return Buffer.byteLength(message, "utf8") + PUT_LOG_EVENTS.eventOverheadBytes;
}

const MAX_MESSAGE_BYTES = PUT_LOG_EVENTS.maxEventBytes - PUT_LOG_EVENTS.eventOverheadBytes;

/** Cuts a message over the event size limit, saying so, on a character boundary. */
export function fitEvent(message: string): string {
  if (Buffer.byteLength(message, "utf8") <= MAX_MESSAGE_BYTES) return message;
  const marker = ` … [truncated from ${Buffer.byteLength(message, "utf8")} bytes]`;
  const room = MAX_MESSAGE_BYTES - Buffer.byteLength(marker, "utf8");
  // Decoding a cut UTF-8 buffer would leave a replacement character; drop it.
  const cut = Buffer.from(message, "utf8")
    .subarray(0, room)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
  return cut + marker;
}
