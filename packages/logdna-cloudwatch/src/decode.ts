import { isAscii } from "node:buffer";
import { gunzipSync } from "node:zlib";
import { InvalidEventError } from "./errors.js";

/** One log event inside a subscription payload. */
export interface LogEvent {
  id: string;
  timestamp: number;
  message: string;
}

/** The decoded `awslogs.data` of a CloudWatch Logs subscription event. */
export interface SubscriptionPayload {
  messageType: "DATA_MESSAGE" | "CONTROL_MESSAGE";
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: LogEvent[];
}

/** What Lambda receives from a CloudWatch Logs subscription filter. */
export interface SubscriptionEvent {
  awslogs: { data: string };
}

// Base64 has no other characters; checking first means a wrong field gives
// "not base64" rather than a baffling gzip error.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes a subscription event: base64, then gzip, then JSON, then checks the
 * shape, so a malformed event fails with a message naming what is wrong.
 */
export function decodeSubscriptionEvent(event: unknown): SubscriptionPayload {
  const data = (event as { awslogs?: { data?: unknown } } | null)?.awslogs?.data;
  if (typeof data !== "string" || data === "") {
    throw new InvalidEventError(
      "not a CloudWatch Logs subscription event: expected a string at awslogs.data",
    );
  }
  let json: string;
  try {
    json = decodeText(gunzipSync(Buffer.from(data, "base64")));
  } catch (error) {
    // Buffer.from skips what is not base64, so say so before blaming gzip
    // (checked only now: the happy path need not scan the whole event twice).
    if (!BASE64.test(data)) throw new InvalidEventError("awslogs.data is not base64");
    throw new InvalidEventError(`awslogs.data is not gzip data: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new InvalidEventError(`awslogs.data does not hold JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return checkPayload(parsed);
}

/**
 * The payload's text. Almost every payload is ASCII, which reads as Latin-1
 * byte for byte, and that copy costs a fraction of a UTF-8 decode (the single
 * biggest cost of decoding a large payload); anything else is decoded as UTF-8.
 */
function decodeText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

/** Checks a decoded payload's shape (also used for payloads built by backfill). */
export function checkPayload(parsed: unknown): SubscriptionPayload {
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new InvalidEventError("the subscription payload is not a JSON object");
  }
  const payload = parsed as Record<string, unknown>;
  const { messageType } = payload;
  if (messageType !== "DATA_MESSAGE" && messageType !== "CONTROL_MESSAGE") {
    throw new InvalidEventError(
      `unknown messageType ${JSON.stringify(messageType)} (expected DATA_MESSAGE or CONTROL_MESSAGE)`,
    );
  }
  for (const field of ["logGroup", "logStream"] as const) {
    if (typeof payload[field] !== "string") {
      throw new InvalidEventError(`the subscription payload has no string ${field}`);
    }
  }
  if (!Array.isArray(payload.logEvents)) {
    throw new InvalidEventError("the subscription payload has no logEvents array");
  }
  payload.logEvents.forEach((logEvent: unknown, index: number) => {
    const e = logEvent as Partial<LogEvent> | null;
    if (!e || typeof e.timestamp !== "number" || typeof e.message !== "string") {
      throw new InvalidEventError(
        `logEvents[${index}] needs a numeric timestamp and a string message`,
      );
    }
  });
  return {
    messageType,
    owner: String(payload.owner ?? ""),
    logGroup: payload.logGroup as string,
    logStream: payload.logStream as string,
    subscriptionFilters: Array.isArray(payload.subscriptionFilters)
      ? payload.subscriptionFilters.map(String)
      : [],
    logEvents: payload.logEvents as LogEvent[],
  };
}
