// The built artifact: dist/lambda.zip, unpacked into an empty directory (no
// node_modules to fall back on) and its handler run in a fresh Node process
// the way Lambda would load it. LogDNA is the testkit ingest stand-in; SSM is
// a small loopback endpoint speaking its JSON wire protocol, because the
// bundled SDK client cannot be mocked from outside its process.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type HttpStandIn, sendJson, startHttpStandIn } from "@restyled/testkit";
import { type LogdnaIngestStandIn, startLogdnaIngest } from "@restyled/testkit/logdna-ingest";
import { isSignedFor } from "@restyled/testkit/sigv4";
import { unzipSync } from "fflate";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encodeEvent, readPayload } from "./events.js";

const run = promisify(execFile);
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const KEY = "bundle-key-0123";
let logdna: LogdnaIngestStandIn;
let unpacked: string;

beforeAll(() => {
  if (!existsSync(`${dist}lambda.zip`)) {
    throw new Error("dist/lambda.zip is missing: run `pnpm build` before these tests");
  }
  unpacked = mkdtempSync(join(tmpdir(), "logdna-lambda-"));
  for (const [name, data] of Object.entries(unzipSync(readFileSync(`${dist}lambda.zip`)))) {
    writeFileSync(join(unpacked, name), data);
  }
});
afterAll(() => {
  rmSync(unpacked, { recursive: true, force: true });
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
    const { handler } = await import(${JSON.stringify(join(unpacked, "index.mjs"))});
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
    { env: { PATH: process.env.PATH, ...env }, cwd: unpacked },
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
    expect(error).toMatch(/^ConfigError: LOGDNA_INGEST_URL: .* is plain http/);
    expect(logdna.requests).toHaveLength(0);
  });
});

/** SSM's GetParameter over its JSON 1.1 protocol, insisting on a SigV4 signature for `ssm`. */
function startSsmEndpoint(parameters: Record<string, string>): Promise<HttpStandIn> {
  return startHttpStandIn((request, response) => {
    if (!isSignedFor(request, "ssm", "us-east-1"))
      return sendJson(response, 400, { __type: "MissingAuthenticationTokenException" });
    if (request.headers["x-amz-target"] !== "AmazonSSM.GetParameter") {
      return sendJson(response, 400, { __type: "InvalidAction" });
    }
    const input = JSON.parse(request.body.toString("utf8"));
    const value = parameters[input.Name];
    if (value === undefined) {
      return sendJson(response, 400, { __type: "ParameterNotFound", message: "" });
    }
    return sendJson(response, 200, {
      Parameter: {
        Name: input.Name,
        Type: "SecureString",
        Value: input.WithDecryption ? value : "AQICAH==",
      },
    });
  });
}

describe("the bundled handler reading the key from SSM", () => {
  const awsEnv = (url: string) => ({
    AWS_ENDPOINT_URL_SSM: url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  });

  it("loads ssm-client.mjs from the zip, reads the key decrypted and forwards", async () => {
    const ssm = await startSsmEndpoint({ "/restyled/prod/logdna-key": KEY });
    try {
      const { ok, error, stderr } = await invoke(
        encodeEvent(readPayload("ecs-data-message.json")),
        {
          RESTYLED_ENV: "prod",
          LOGDNA_INGEST_URL: logdna.ingestUrl,
          LOGDNA_ALLOW_HTTP: "true",
          ...awsEnv(ssm.url),
        },
      );
      expect(error).toBeUndefined();
      expect(ok).toMatchObject({ lines: 6, requests: 1 });
      expect(ssm.requests).toHaveLength(1);
      expect(logdna.batches).toHaveLength(1);
      expect(stderr).not.toContain(KEY);
    } finally {
      await ssm.close();
    }
  });

  it("names the missing parameter and sends nothing", async () => {
    const ssm = await startSsmEndpoint({});
    try {
      const { error } = await invoke(encodeEvent(readPayload("ecs-data-message.json")), {
        RESTYLED_ENV: "prod",
        LOGDNA_INGEST_URL: logdna.ingestUrl,
        LOGDNA_ALLOW_HTTP: "true",
        ...awsEnv(ssm.url),
      });
      expect(error).toBe(
        "ConfigError: SSM parameter /restyled/prod/logdna-key does not exist: create it, or set LOGDNA_KEY",
      );
      expect(logdna.requests).toHaveLength(0);
    } finally {
      await ssm.close();
    }
  });
});

describe("dist/index.d.ts", () => {
  it("inlines the shared core's types, so the published types need no private package", () => {
    const types = readFileSync(`${dist}index.d.ts`, "utf8");
    expect(types).not.toMatch(/from ['"]@restyled\/core/);
    expect(types).toMatch(/declare class ConfigError extends RestyledError/);
  });
});
