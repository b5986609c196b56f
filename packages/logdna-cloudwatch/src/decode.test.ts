import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeEvent, readPayload } from "../test/events.js";
import sample from "../test/fixtures/aws-sample-event.json" with { type: "json" };
import { decodeSubscriptionEvent } from "./decode.js";
import { InvalidEventError } from "./errors.js";

const gzBase64 = (text: string) => ({ awslogs: { data: gzipSync(text).toString("base64") } });

describe("decodeSubscriptionEvent", () => {
  it("decodes the AWS documentation's sample event", () => {
    const payload = decodeSubscriptionEvent(sample);
    expect(payload).toMatchObject({
      messageType: "DATA_MESSAGE",
      logGroup: "testLogGroup",
      logStream: "testLogStream",
      subscriptionFilters: ["testFilter"],
    });
    expect(payload.logEvents.map((e) => e.message)).toEqual([
      "[ERROR] First test message",
      "[ERROR] Second test message",
    ]);
  });

  it("round-trips a fixture encoded like CloudWatch Logs encodes it", () => {
    const payload = readPayload("lambda-data-message.json");
    expect(decodeSubscriptionEvent(encodeEvent(payload))).toEqual(payload);
  });

  it.each([
    ["nothing", undefined, /expected a string at awslogs\.data/],
    ["an S3 event", { Records: [] }, /expected a string at awslogs\.data/],
    ["an empty data string", { awslogs: { data: "" } }, /expected a string at awslogs\.data/],
    ["data that is not base64", { awslogs: { data: "not base64!" } }, /not base64/],
    [
      "base64 that is not gzip",
      { awslogs: { data: Buffer.from("hello").toString("base64") } },
      /not gzip data/,
    ],
    ["gzip that is not JSON", gzBase64("{nope"), /does not hold JSON/],
    ["JSON that is not an object", gzBase64("[1]"), /not a JSON object/],
    [
      "an unknown messageType",
      gzBase64('{"messageType":"X","logGroup":"g","logStream":"s","logEvents":[]}'),
      /unknown messageType "X"/,
    ],
    [
      "no logEvents",
      gzBase64('{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s"}'),
      /no logEvents array/,
    ],
    [
      "no logGroup",
      gzBase64('{"messageType":"DATA_MESSAGE","logStream":"s","logEvents":[]}'),
      /no string logGroup/,
    ],
    [
      "an event without a message",
      gzBase64(
        '{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":[{"timestamp":1}]}',
      ),
      /logEvents\[0\] needs a numeric timestamp and a string message/,
    ],
  ])("refuses %s with a clear InvalidEventError", (_name, event, message) => {
    expect(() => decodeSubscriptionEvent(event)).toThrow(InvalidEventError);
    expect(() => decodeSubscriptionEvent(event)).toThrow(message);
  });
});
