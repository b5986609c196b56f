// The LogDNA ingest stand-in itself: it must refuse what LogDNA refuses, or
// the forwarder's tests would prove nothing.
import { gzipSync } from "node:zlib";
import { type LogdnaIngestStandIn, startLogdnaIngest } from "@restyled/testkit/logdna-ingest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const KEY = "stand-in-key";
let logdna: LogdnaIngestStandIn;
beforeEach(async () => {
  logdna = await startLogdnaIngest({ key: KEY });
});
afterEach(async () => {
  await logdna.close();
});

const body = JSON.stringify({ lines: [{ line: "hello", app: "a" }] });
const post = (
  headers: Record<string, string>,
  data: string | Buffer = body,
  query = "?hostname=h",
) => fetch(`${logdna.ingestUrl}${query}`, { method: "POST", headers, body: data });

describe("the LogDNA ingest stand-in", () => {
  it("takes the key as the basic-auth user name or an apikey header", async () => {
    const basic = `Basic ${Buffer.from(`${KEY}:`).toString("base64")}`;
    expect((await post({ authorization: basic })).status).toBe(200);
    expect((await post({ apikey: KEY })).status).toBe(200);
    expect(logdna.lines()).toHaveLength(2);
  });

  it("answers 401 to a missing or wrong key and records nothing", async () => {
    expect((await post({})).status).toBe(401);
    expect((await post({ apikey: "nope" })).status).toBe(401);
    expect(logdna.batches).toHaveLength(0);
  });

  it("answers 400 to a missing hostname, bad gzip, bad JSON or a body without lines", async () => {
    expect((await post({ apikey: KEY }, body, "")).status).toBe(400);
    expect((await post({ apikey: KEY, "content-encoding": "gzip" }, body)).status).toBe(400);
    expect((await post({ apikey: KEY }, "{not json")).status).toBe(400);
    expect((await post({ apikey: KEY }, '{"lines":[{"app":"no line"}]}')).status).toBe(400);
    expect(logdna.batches).toHaveLength(0);
  });

  it("gunzips a gzipped body", async () => {
    const response = await post({ apikey: KEY, "content-encoding": "gzip" }, gzipSync(body));
    expect(response.status).toBe(200);
    expect(logdna.batches[0]).toMatchObject({ gzipped: true, lines: [{ line: "hello" }] });
  });

  it("answers 429 with Retry-After when told to", async () => {
    logdna.rateLimit({ retryAfterSeconds: 7 });
    const limited = await post({ apikey: KEY });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await post({ apikey: KEY })).status).toBe(200);
  });
});
