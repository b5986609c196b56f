import {
  type CloudWatchLogsClient,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { LogBuffer, type LogBufferLimits } from "./log-buffer.js";

/** Where the lines go: one stream per instance in the machines' log group. */
export interface LogDestination {
  client: Pick<CloudWatchLogsClient, "send">;
  logGroupName: string;
  logStreamName: string;
}

export interface LogShipperOptions extends Partial<LogBufferLimits> {
  /** How often buffered lines are shipped in the background. */
  intervalMs?: number;
  /**
   * The shipper's own trouble (a refused put, a missing group): written
   * straight to stderr, never through the logger that feeds the shipper.
   */
  report?: (msg: string, fields: Record<string, unknown>) => void;
}

/** What a flush left behind. */
export interface FlushResult {
  shipped: number;
  /** Lines still buffered when the deadline came or shipping failed. */
  left: number;
}

export interface LogShipper {
  /** Buffers one log line; never blocks, never throws. */
  write(line: string): void;
  /** Starts shipping to the destination (lines written before are kept and shipped). */
  start(destination: LogDestination): void;
  /** Ships what is buffered, until done or the deadline (epoch ms), aborting a call in flight then. */
  flush(deadline: number): Promise<FlushResult>;
  /** Flushes, then stops the background shipping. */
  close(deadline: number): Promise<FlushResult>;
}

const DEFAULTS = { intervalMs: 5_000, maxEvents: 20_000, maxBytes: 8 * 1024 * 1024 };

/**
 * Ships the agent's own log lines to CloudWatch Logs, so they outlive the
 * instance. Lines wait in a bounded buffer (the oldest dropped, and counted,
 * when CloudWatch Logs cannot keep up) and go out in the background, in
 * batches within PutLogEvents' limits, one call at a time; nothing the agent
 * does waits for them except `flush`, which the agent calls before it
 * completes its TERMINATING action. A batch that fails goes back to the
 * buffer for the next round; the SDK's own retry strategy handles the rest.
 */
export function createLogShipper(options: LogShipperOptions = {}): LogShipper {
  const buffer = new LogBuffer({
    maxEvents: options.maxEvents ?? DEFAULTS.maxEvents,
    maxBytes: options.maxBytes ?? DEFAULTS.maxBytes,
  });
  const report = options.report ?? (() => {});
  let destination: LogDestination | undefined;
  let streamReady = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<boolean> | undefined;
  let abort = new AbortController();
  let lastProblem: string | undefined;

  const problem = (msg: string, fields: Record<string, unknown>) => {
    // Once per kind of trouble, not once per round: the buffer keeps the lines.
    if (lastProblem === msg) return;
    lastProblem = msg;
    report(msg, fields);
  };

  async function ensureStream(target: LogDestination, signal: AbortSignal): Promise<void> {
    if (streamReady) return;
    try {
      await target.client.send(
        new CreateLogStreamCommand({
          logGroupName: target.logGroupName,
          logStreamName: target.logStreamName,
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      // An agent restarted on the same instance finds its stream there.
      if ((error as Error).name !== "ResourceAlreadyExistsException") throw error;
    }
    streamReady = true;
  }

  /** One round: ships every full or partial batch buffered now. False when a put failed. */
  async function shipAll(signal: AbortSignal): Promise<boolean> {
    const target = destination;
    if (!target) return false;
    while (buffer.size > 0) {
      const { events: batch, dropped } = buffer.takeBatch();
      try {
        await ensureStream(target, signal);
        const answer = await target.client.send(
          new PutLogEventsCommand({
            logGroupName: target.logGroupName,
            logStreamName: target.logStreamName,
            logEvents: batch.map(({ timestamp, message }) => ({ timestamp, message })),
          }),
          { abortSignal: signal },
        );
        lastProblem = undefined;
        if (dropped > 0) {
          buffer.droppedShipped(dropped);
          report("log buffer full: dropped the oldest lines", { dropped });
        }
        const rejected = answer.rejectedLogEventsInfo;
        if (rejected) report("CloudWatch Logs rejected some log lines", { ...rejected });
        shipped += batch.length;
      } catch (error) {
        const name = (error as Error).name;
        if (name === "ResourceNotFoundException") streamReady = false;
        buffer.putBack(batch);
        problem("could not ship log lines to CloudWatch Logs; keeping them buffered", {
          logGroup: target.logGroupName,
          error: `${name}: ${(error as Error).message}`,
          buffered: buffer.size,
        });
        return false;
      }
    }
    return true;
  }

  let shipped = 0;
  function round(): Promise<boolean> {
    inFlight ??= shipAll(abort.signal).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    write(line) {
      buffer.push(line);
    },

    start(target) {
      destination = target;
      streamReady = false;
      timer ??= setInterval(() => void round(), options.intervalMs ?? DEFAULTS.intervalMs);
      timer.unref();
      void round();
    },

    async flush(deadline) {
      const before = shipped;
      if (!destination) return { shipped: 0, left: buffer.size };
      const controller = abort;
      const stop = setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now()));
      try {
        // A round already running may have started before the last lines came.
        while (!controller.signal.aborted && (buffer.size > 0 || inFlight)) {
          if (!(await round())) break;
        }
      } finally {
        clearTimeout(stop);
        if (controller.signal.aborted) abort = new AbortController();
      }
      return { shipped: shipped - before, left: buffer.size };
    },

    async close(deadline) {
      const result = await this.flush(deadline);
      clearInterval(timer);
      timer = undefined;
      return result;
    },
  };
}
