// The forwarder against a real loopback HTTP server: the LogDNA ingest
// stand-in from @restyled/testkit (LogDNA itself is the stand-in part).
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { createLogger, silentLogger } from "@restyled/core/logger";
import { type LogdnaIngestStandIn, startLogdnaIngest } from "@restyled/testkit/logdna-ingest";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ForwarderConfig, readForwarderConfig } from "../src/config.js";
import { DeliveryError, InvalidEventError } from "../src/errors.js";
import { type HandlerDeps, handleSubscriptionEvent } from "../src/handler.js";
import { createKeySource } from "../src/key.js";
import { contextWithRemaining, encodeEvent, readPayload } from "./events.js";

const KEY = "ingest-key-0123456789";
let logdna: LogdnaIngestStandIn;

beforeEach(async () => {
  logdna = await startLogdnaIngest({ key: KEY });
});
afterEach(async () => {
  await logdna.close();
});

function configFor(env: Record<string, string> = {}): ForwarderConfig {
  return readForwarderConfig({
    RESTYLED_ENV: "prod",
    LOGDNA_KEY: KEY,
    LOGDNA_INGEST_URL: logdna.ingestUrl,
    LOGDNA_ALLOW_HTTP: "true",
    ...env,
  });
}

function deps(config = configFor()): HandlerDeps {
  return {
    config,
    keys: createKeySource({ env: config.env, key: config.key }),
    logger: silentLogger(),
    // Short waits so the retry tests stay quick; Retry-After is still honoured as sent.
    send: { backoff: { baseMs: 20, capMs: 200, random: Math.random } },
  };
}

const ecsEvent = () => encodeEvent(readPayload("ecs-data-message.json"));

describe("forwarding a subscription event", () => {
  it("sends every line, gzipped, with the key, hostname and tags", async () => {
    const config = configFor({ LOGDNA_TAGS: "restyled,prod", LOGDNA_HOSTNAME: "restyled-logs" });
    const result = await handleSubscriptionEvent(
      ecsEvent(),
      contextWithRemaining(10_000),
      deps(config),
    );
    expect(result).toMatchObject({ lines: 6, requests: 1 });
    expect(logdna.batches).toHaveLength(1);
    const [batch] = logdna.batches;
    expect(batch!.gzipped).toBe(true);
    expect(batch!.query.get("hostname")).toBe("restyled-logs");
    expect(batch!.query.get("tags")).toBe("restyled,prod");
    expect(Number(batch!.query.get("now"))).toBeGreaterThan(Date.now() - 60_000);
    expect(batch!.lines.map((line) => line.level)).toEqual([
      "INFO",
      "ERROR",
      "WARN",
      "WARN",
      "ERROR",
      undefined,
    ]);
    expect(batch!.lines[3]).toMatchObject({
      app: "webhooks",
      env: "prod",
      file: "webhooks/restyled/4b1c0a9e2f6d4e51a0c3b8d7e6f5a4b3",
      meta: { context: { job: 42, queue: "restyled:hooks:webhooks" } },
    });
    const request = logdna.requests[0]!;
    expect(request.headers["content-encoding"]).toBe("gzip");
    expect(request.headers["content-type"]).toBe("application/json; charset=UTF-8");
    expect(request.url).not.toContain(KEY);
  });

  it("sends nothing for a CONTROL_MESSAGE", async () => {
    const result = await handleSubscriptionEvent(
      encodeEvent(readPayload("control-message.json")),
      contextWithRemaining(10_000),
      deps(),
    );
    expect(result).toEqual({ lines: 0, requests: 0, bytes: 0, skipped: "CONTROL_MESSAGE" });
    expect(logdna.requests).toHaveLength(0);
  });

  it("throws on a malformed event and sends nothing", async () => {
    await expect(
      handleSubscriptionEvent({ awslogs: { data: "H4sI" } }, contextWithRemaining(10_000), deps()),
    ).rejects.toThrow(InvalidEventError);
    expect(logdna.requests).toHaveLength(0);
  });

  it("splits a large event into requests under the size cap, losing nothing", async () => {
    const payload = readPayload("ecs-data-message.json");
    payload.logEvents = Array.from({ length: 3000 }, (_, i) => ({
      id: String(i),
      timestamp: 1777636800000 + i,
      message: `INFO line ${i} ${"x".repeat(200)}`,
    }));
    const config = configFor({ LOGDNA_MAX_REQUEST_BYTES: String(128 * 1024) });
    const result = await handleSubscriptionEvent(
      encodeEvent(payload),
      contextWithRemaining(10_000),
      deps(config),
    );
    expect(result.requests).toBeGreaterThan(4);
    expect(logdna.batches).toHaveLength(result.requests);
    for (const batch of logdna.batches) expect(batch.bytes).toBeLessThanOrEqual(128 * 1024);
    expect(logdna.lines().map((line) => line.timestamp)).toEqual(
      payload.logEvents.map((e) => e.timestamp),
    );
  });
});

describe("retries", () => {
  it("waits as long as Retry-After says after a 429, then delivers", async () => {
    logdna.rateLimit({ retryAfterSeconds: 1 });
    const result = await handleSubscriptionEvent(ecsEvent(), contextWithRemaining(10_000), deps());
    expect(result.lines).toBe(6);
    expect(logdna.requests).toHaveLength(2);
    expect(logdna.requests[1]!.at - logdna.requests[0]!.at).toBeGreaterThanOrEqual(950);
    expect(logdna.batches).toHaveLength(1);
  });

  it("retries 5xx answers with backoff until one succeeds, logging each retry without the key", async () => {
    logdna.injectFailure({ method: "POST", status: 500, times: 2 });
    logdna.injectFailure({ method: "POST", status: 503, times: 1 });
    const logged: string[] = [];
    const logger = createLogger({
      name: "test",
      level: "debug",
      stream: { write: (line: string) => logged.push(line.trimEnd()) },
    });
    await handleSubscriptionEvent(ecsEvent(), contextWithRemaining(10_000), { ...deps(), logger });
    expect(logdna.requests).toHaveLength(4);
    expect(logdna.batches).toHaveLength(1);
    const retries = logged
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === "retrying LogDNA delivery");
    expect(retries.map((entry) => [entry.level, entry.attempt, entry.status])).toEqual([
      ["warn", 1, 500],
      ["warn", 2, 500],
      ["warn", 3, 503],
    ]);
    expect(logged.join("\n")).not.toContain(KEY);
    expect(logged.join("\n")).not.toContain(Buffer.from(`${KEY}:`).toString("base64"));
  });

  it("fails at once on a 400, with the status and LogDNA's answer", async () => {
    logdna.injectFailure({
      method: "POST",
      status: 400,
      body: '{"error":"lines must be an array"}',
    });
    const error = await handleSubscriptionEvent(
      ecsEvent(),
      contextWithRemaining(10_000),
      deps(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).status).toBe(400);
    expect((error as Error).message).toBe(
      'LogDNA answered 400: {"error":"lines must be an array"} (not retried)',
    );
    expect(logdna.requests).toHaveLength(1);
  });

  it("fails at once on a wrong key, without showing the key", async () => {
    const config = configFor({ LOGDNA_KEY: "wrong-key-abcdef" });
    const error = await handleSubscriptionEvent(
      ecsEvent(),
      contextWithRemaining(10_000),
      deps(config),
    ).catch((e: unknown) => e);
    expect((error as DeliveryError).status).toBe(401);
    expect((error as Error).message).toMatch(/^LogDNA answered 401: .*invalid ingestion key/);
    expect((error as Error).message).not.toContain("wrong-key-abcdef");
    expect(logdna.requests).toHaveLength(1);
    expect(logdna.batches).toHaveLength(0);
  });

  it("gives up before the invocation's time runs out while LogDNA keeps failing", async () => {
    logdna.injectFailure({ method: "POST", status: 503, times: 1000 });
    const started = Date.now();
    const error = await handleSubscriptionEvent(
      ecsEvent(),
      contextWithRemaining(6_000),
      deps(),
    ).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as Error).message).toMatch(/LogDNA answered 503/);
    expect(elapsed).toBeLessThan(6_000);
    expect(logdna.requests.length).toBeGreaterThan(1);
  });

  it("does not wait for a Retry-After that would pass the deadline", async () => {
    logdna.rateLimit({ retryAfterSeconds: 30 });
    const started = Date.now();
    const error = await handleSubscriptionEvent(
      ecsEvent(),
      contextWithRemaining(5_000),
      deps(),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /429.*the next try in 30000 ms would pass the invocation's deadline/,
    );
    // Far inside the 30 s Retry-After: it did not wait.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(logdna.requests).toHaveLength(1);
  });

  it("retries when LogDNA cannot be reached, then reports the network error", async () => {
    const url = logdna.ingestUrl;
    await logdna.close();
    const config = configFor({ LOGDNA_INGEST_URL: url });
    const error = await handleSubscriptionEvent(ecsEvent(), contextWithRemaining(10_000), {
      ...deps(config),
      send: { maxAttempts: 3, backoff: { baseMs: 10, capMs: 50, random: () => 0.5 } },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as Error).message).toMatch(
      /could not reach LogDNA: .*ECONNREFUSED.* after 3 attempts; giving up/,
    );
    logdna = await startLogdnaIngest({ key: KEY }); // for afterEach
  });
});

describe("the key from SSM", () => {
  const ssm = mockClient(SSMClient);
  afterEach(() => ssm.reset());

  it("reads the key once for many invocations, and again after LogDNA refuses it", async () => {
    ssm
      .on(GetParameterCommand, { Name: "/restyled/prod/logdna-key" })
      .resolvesOnce({ Parameter: { Value: "stale-key" } })
      .resolves({ Parameter: { Value: KEY } });
    const config = configFor({ LOGDNA_KEY: "" });
    const handlerDeps: HandlerDeps = {
      ...deps(config),
      keys: createKeySource({
        env: "prod",
        key: config.key,
        ssm: new SSMClient({ region: "us-east-1" }),
      }),
    };
    await expect(
      handleSubscriptionEvent(ecsEvent(), contextWithRemaining(10_000), handlerDeps),
    ).rejects.toThrow(/401/);
    await handleSubscriptionEvent(ecsEvent(), contextWithRemaining(10_000), handlerDeps);
    await handleSubscriptionEvent(ecsEvent(), contextWithRemaining(10_000), handlerDeps);
    expect(logdna.batches).toHaveLength(2);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });
});
