import type { ServerResponse } from "node:http";
import { type HttpStandIn, type RecordedRequest, startHttpStandIn } from "./http-stand-in.js";

/** One event as the stand-in stored it. */
export interface StoredLogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

/** One PutLogEvents call the stand-in accepted. */
export interface AcceptedPut {
  logGroupName: string;
  logStreamName: string;
  events: number;
  at: number;
}

export interface CloudWatchLogsStandIn extends HttpStandIn {
  /** Creates a log group, as the machines stack does (the agent never creates groups). */
  createLogGroup(name: string): void;
  /** A stream's events in the order stored, or undefined when it does not exist. */
  events(group: string, stream: string): StoredLogEvent[] | undefined;
  /** Accepted PutLogEvents calls, in order. */
  puts: AcceptedPut[];
  /** Deletes a stream, as DeleteLogStream (or an operator) would. */
  deleteLogStream(group: string, stream: string): void;
}

// The documented PutLogEvents limits (CloudWatch Logs API reference).
export const PUT_LOG_EVENTS_LIMITS = {
  maxEvents: 10_000,
  maxBatchBytes: 1_048_576,
  perEventOverheadBytes: 26,
  /** An event's message plus its overhead; the long-standing 256 KB limit. */
  maxEventBytes: 262_144,
  maxSpanMs: 24 * 60 * 60 * 1000,
  tooNewMs: 2 * 60 * 60 * 1000,
  tooOldMs: 14 * 24 * 60 * 60 * 1000,
} as const;

const TARGET_PREFIX = "Logs_20140328.";

interface Stream {
  events: StoredLogEvent[];
}

/**
 * A stand-in for the CloudWatch Logs API that the real SDK client talks to
 * over loopback HTTP: the JSON 1.1 protocol (`X-Amz-Target:
 * Logs_20140328.<Operation>`), SigV4-signed requests (the signature is not
 * checked, its presence is). It implements CreateLogStream, PutLogEvents and
 * GetLogEvents as the API reference documents them, refusing what the service
 * refuses: a missing group or stream (ResourceNotFoundException), a stream
 * that exists (ResourceAlreadyExistsException), a batch out of chronological
 * order, over 10,000 events or 1,048,576 bytes (26 bytes counted per event),
 * spanning over 24 hours, or an event over 256 KB (InvalidParameterException).
 * Events over two hours ahead or fourteen days old are rejected, not stored,
 * and reported in `rejectedLogEventsInfo`.
 */
export async function startCloudWatchLogs(): Promise<CloudWatchLogsStandIn> {
  const groups = new Map<string, Map<string, Stream>>();
  const puts: AcceptedPut[] = [];
  const standIn = await startHttpStandIn((request, response) => {
    const target = request.headers["x-amz-target"];
    if (
      request.method !== "POST" ||
      typeof target !== "string" ||
      !target.startsWith(TARGET_PREFIX)
    ) {
      return fail(response, "UnknownOperationException", "unknown operation");
    }
    if (!/^AWS4-HMAC-SHA256 Credential=/.test(request.headers.authorization ?? "")) {
      return fail(response, "MissingAuthenticationTokenException", "missing authentication token");
    }
    if (!String(request.headers["content-type"]).startsWith("application/x-amz-json-1.1")) {
      return fail(response, "SerializationException", "expected application/x-amz-json-1.1");
    }
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(request.body.toString("utf8") || "{}");
    } catch {
      return fail(response, "SerializationException", "the body is not JSON");
    }
    const operation = target.slice(TARGET_PREFIX.length);
    const handler = OPERATIONS[operation];
    if (!handler)
      return fail(response, "UnknownOperationException", `unknown operation ${operation}`);
    return handler(input, response, request);
  });

  const streamOf = (input: Record<string, unknown>, response: ServerResponse) => {
    const group = groups.get(String(input.logGroupName));
    if (!group) {
      fail(response, "ResourceNotFoundException", "The specified log group does not exist.");
      return undefined;
    }
    const stream = group.get(String(input.logStreamName));
    if (!stream)
      fail(response, "ResourceNotFoundException", "The specified log stream does not exist.");
    return stream;
  };

  const OPERATIONS: Record<
    string,
    (input: Record<string, unknown>, response: ServerResponse, request: RecordedRequest) => void
  > = {
    CreateLogStream(input, response) {
      const name = input.logStreamName;
      if (typeof name !== "string" || name.length < 1 || name.length > 512 || /[:*]/.test(name)) {
        return fail(
          response,
          "InvalidParameterException",
          "logStreamName must be 1 to 512 characters, without : or *",
        );
      }
      const group = groups.get(String(input.logGroupName));
      if (!group)
        return fail(
          response,
          "ResourceNotFoundException",
          "The specified log group does not exist.",
        );
      if (group.has(name)) {
        return fail(
          response,
          "ResourceAlreadyExistsException",
          "The specified log stream already exists",
        );
      }
      group.set(name, { events: [] });
      return ok(response, {});
    },

    PutLogEvents(input, response) {
      const events = input.logEvents;
      if (!Array.isArray(events) || events.length === 0) {
        return fail(
          response,
          "InvalidParameterException",
          "logEvents must hold at least one event",
        );
      }
      const limits = PUT_LOG_EVENTS_LIMITS;
      if (events.length > limits.maxEvents) {
        return fail(
          response,
          "InvalidParameterException",
          `at most ${limits.maxEvents} log events per batch`,
        );
      }
      let bytes = 0;
      for (const [index, event] of events.entries()) {
        if (
          typeof event?.timestamp !== "number" ||
          typeof event?.message !== "string" ||
          event.message === ""
        ) {
          return fail(
            response,
            "InvalidParameterException",
            `logEvents[${index}] needs a timestamp and a non-empty message`,
          );
        }
        const size = Buffer.byteLength(event.message, "utf8") + limits.perEventOverheadBytes;
        if (size > limits.maxEventBytes) {
          return fail(
            response,
            "InvalidParameterException",
            `Log event too large: ${size} bytes exceeds limit of ${limits.maxEventBytes}`,
          );
        }
        bytes += size;
        if (index > 0 && event.timestamp < events[index - 1].timestamp) {
          return fail(
            response,
            "InvalidParameterException",
            "Log events in a single PutLogEvents request must be in chronological order.",
          );
        }
      }
      if (bytes > limits.maxBatchBytes) {
        return fail(
          response,
          "InvalidParameterException",
          `Upload too large: ${bytes} bytes exceeds limit of ${limits.maxBatchBytes}`,
        );
      }
      if (events[events.length - 1].timestamp - events[0].timestamp > limits.maxSpanMs) {
        return fail(
          response,
          "InvalidParameterException",
          "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.",
        );
      }
      const stream = streamOf(input, response);
      if (!stream) return;
      const now = Date.now();
      let tooOld: number | undefined;
      let tooNew: number | undefined;
      events.forEach((event: { timestamp: number; message: string }, index) => {
        if (event.timestamp < now - limits.tooOldMs) tooOld = index + 1;
        else if (event.timestamp > now + limits.tooNewMs) tooNew ??= index;
        else
          stream.events.push({
            timestamp: event.timestamp,
            message: event.message,
            ingestionTime: now,
          });
      });
      puts.push({
        logGroupName: String(input.logGroupName),
        logStreamName: String(input.logStreamName),
        events: events.length,
        at: now,
      });
      const rejected =
        tooOld !== undefined || tooNew !== undefined
          ? {
              rejectedLogEventsInfo: {
                ...(tooOld !== undefined ? { tooOldLogEventEndIndex: tooOld } : {}),
                ...(tooNew !== undefined ? { tooNewLogEventStartIndex: tooNew } : {}),
              },
            }
          : {};
      return ok(response, { nextSequenceToken: String(puts.length), ...rejected });
    },

    GetLogEvents(input, response) {
      const stream = streamOf(input, response);
      if (!stream) return;
      const limit = typeof input.limit === "number" ? input.limit : 10_000;
      const token = typeof input.nextToken === "string" ? /^f\/(\d+)$/.exec(input.nextToken) : null;
      if (input.nextToken !== undefined && !token) {
        return fail(response, "InvalidParameterException", "The specified nextToken is invalid.");
      }
      const start = token ? Number(token[1]) : 0;
      const page = stream.events.slice(start, start + limit);
      const next = `f/${start + page.length}`;
      return ok(response, {
        events: page,
        nextForwardToken: next,
        nextBackwardToken: `b/${start}`,
      });
    },
  };

  return Object.assign(standIn, {
    puts,
    createLogGroup(name: string) {
      if (!groups.has(name)) groups.set(name, new Map());
    },
    deleteLogStream(group: string, stream: string) {
      groups.get(group)?.delete(stream);
    },
    events(group: string, stream: string) {
      return groups.get(group)?.get(stream)?.events.slice();
    },
  });
}

function ok(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
  response.end(JSON.stringify(body));
}

function fail(response: ServerResponse, type: string, message: string): void {
  response.writeHead(400, {
    "content-type": "application/x-amz-json-1.1",
    "x-amzn-errortype": type,
  });
  response.end(JSON.stringify({ __type: type, message }));
}
