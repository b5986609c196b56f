// The built artifact, dist/lambda.zip's handler, run in a fresh Node process
// the way Lambda would load it, sending to the LogDNA ingest stand-in.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type LogdnaIngestStandIn, startLogdnaIngest } from "@restyled/testkit/logdna-ingest";
import { unzipSync } from "fflate";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encodeEvent, readPayload } from "./events.js";

const run = promisify(execFile);
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const KEY = "bundle-key-0123";
let logdna: LogdnaIngestStandIn;

beforeAll(() => {
  if (!existsSync(`${dist}lambda.zip`)) {
    throw new Error("dist/lambda.zip is missing: run `pnpm build` before these tests");
  }
});
beforeEach(async () => {
  logdna = await startLogdnaIngest({ key: KEY });
});
afterEach(async () => {
  await logdna.close();
});

/** Invokes `index.handler` from dist/lambda in a child process; resolves to its result. */
async function invoke(event: unknown, env: Record<string, string>) {
  const script = `
    const { handler } = await import(${JSON.stringify(`${dist}lambda/index.mjs`)});
    const end = Date.now() + 10000;
    try {
      const result = await handler(JSON.parse(process.argv[1]), { getRemainingTimeInMillis: () => end - Date.now() });
      process.stdout.write(JSON.stringify({ ok: result }));
    } catch (error) {
      process.stdout.write(JSON.stringify({ error: error.name + ": " + error.message }));
    }`;
  const { stdout, stderr } = await run(
    process.execPath,
    ["--input-type=module", "-e", script, JSON.stringify(event)],
    { env: { PATH: process.env.PATH, ...env } },
  );
  return { ...JSON.parse(stdout), stderr };
}

describe("dist/lambda.zip", () => {
  it("holds index.mjs and the SSM client, under the 500 KB budget", () => {
    expect(statSync(`${dist}lambda.zip`).size).toBeLessThan(500 * 1024);
    const entries = Object.keys(unzipSync(readFileSync(`${dist}lambda.zip`)));
    expect(entries.sort()).toEqual(["index.mjs", "ssm-client.mjs"]);
  });

  it("forwards an event end to end from the bundled handler", async () => {
    const { ok, stderr } = await invoke(encodeEvent(readPayload("lambda-data-message.json")), {
      RESTYLED_ENV: "prod",
      LOGDNA_KEY: KEY,
      LOGDNA_INGEST_URL: logdna.ingestUrl,
      LOGDNA_ALLOW_HTTP: "true",
    });
    expect(ok).toMatchObject({ lines: 6, requests: 1 });
    expect(logdna.lines()[1]).toMatchObject({
      level: "INFO",
      meta: { requestId: "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" },
    });
    const logLine = JSON.parse(stderr.trim().split("\n").at(-1)!);
    expect(logLine).toMatchObject({ level: "info", msg: "forwarded", lines: 6 });
    expect(stderr).not.toContain(KEY);
  });

  it("fails naming the variable when RESTYLED_ENV is missing, sending nothing", async () => {
    const { error } = await invoke(encodeEvent(readPayload("lambda-data-message.json")), {
      LOGDNA_KEY: KEY,
      LOGDNA_INGEST_URL: logdna.ingestUrl,
      LOGDNA_ALLOW_HTTP: "true",
    });
    expect(error).toBe('ConfigError: RESTYLED_ENV is required (for example "prod")');
    expect(logdna.requests).toHaveLength(0);
  });

  it("refuses a plain http ingest URL unless explicitly allowed", async () => {
    const { error } = await invoke(encodeEvent(readPayload("lambda-data-message.json")), {
      RESTYLED_ENV: "prod",
      LOGDNA_KEY: KEY,
      LOGDNA_INGEST_URL: logdna.ingestUrl,
    });
    expect(error).toMatch(/^ConfigError: LOGDNA_INGEST_URL .* is plain http/);
    expect(logdna.requests).toHaveLength(0);
  });
});
