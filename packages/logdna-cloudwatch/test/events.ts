import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { SubscriptionEvent, SubscriptionPayload } from "../src/decode.js";

/** A decoded subscription payload kept as a JSON fixture. */
export function readPayload(name: string): SubscriptionPayload {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
}

/** Encodes a payload the way CloudWatch Logs delivers it to Lambda: gzip, then base64. */
export function encodeEvent(payload: unknown): SubscriptionEvent {
  return { awslogs: { data: gzipSync(JSON.stringify(payload)).toString("base64") } };
}

/** A Lambda context with `ms` left before the invocation times out. */
export function contextWithRemaining(ms: number) {
  const end = Date.now() + ms;
  return { getRemainingTimeInMillis: () => end - Date.now(), awsRequestId: "test-request" };
}
