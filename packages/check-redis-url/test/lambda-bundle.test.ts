import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type RedisServer, startRedis } from "@restyled/testkit";
import { type HerokuApiStandIn, startHerokuApi } from "@restyled/testkit/heroku-api";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SsmEndpoint, startSsmEndpoint } from "./ssm-endpoint.js";

// The built dist/lambda.zip, unzipped and invoked as Lambda would
// (`index.handler`). Its bundled SDK cannot be mocked in-process, so SSM is a
// loopback endpoint speaking SSM's JSON protocol (a stand-in) reached through
// AWS_ENDPOINT_URL_SSM; Heroku is the testkit stand-in; Redis is real.
const ZIP = new URL("../dist/lambda.zip", import.meta.url);
const API_KEY = "heroku-key-bundle-9f9f9f";
const PASSWORD = "bundle-redis-password-a1a1";
let dir: string;
let heroku: HerokuApiStandIn;
let redis: RedisServer;
let ssm: SsmEndpoint;

beforeAll(async () => {
  if (!existsSync(ZIP)) throw new Error("dist/lambda.zip is missing: run `pnpm build` first");
  dir = await mkdtemp(join(tmpdir(), "check-redis-url-lambda-"));
  const files = unzipSync(readFileSync(ZIP));
  expect(Object.keys(files)).toEqual(["index.mjs"]);
  await writeFile(join(dir, "index.mjs"), files["index.mjs"]!);
  [heroku, redis] = await Promise.all([
    startHerokuApi({ token: API_KEY }),
    startRedis({ password: PASSWORD }),
  ]);
  heroku.apps["restyled-io"] = { REDIS_URL: redis.url };
  ssm = await startSsmEndpoint({
    "/restyled/bundle/heroku-api-key": { value: API_KEY, type: "SecureString", version: 1 },
    "/restyled/bundle/redis-url": {
      value: "redis://:old-bundle-password@127.0.0.1:1",
      type: "SecureString",
      version: 7,
      keyId: "alias/restyled",
    },
  });
});
afterAll(async () => {
  await Promise.all([heroku?.close(), redis?.stop(), ssm?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("dist/lambda.zip", () => {
  it("exports handler, which updates the parameter over real (signed) SSM calls", async () => {
    const lines: string[] = [];
    const write = process.stderr.write;
    const env: Record<string, string> = {
      RESTYLED_ENV: "bundle",
      HEROKU_API_URL: heroku.url,
      HEROKU_API_ALLOW_HTTP: "true",
      AWS_ENDPOINT_URL_SSM: ssm.url,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      AWS_SESSION_TOKEN: "",
      LOG_LEVEL: "info",
    };
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    Object.assign(process.env, env);
    process.stderr.write = ((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const lambda = await import(pathToFileURL(join(dir, "index.mjs")).href);
      const result = await lambda.handler({
        "detail-type": "Scheduled Event",
        source: "aws.events",
      });
      expect(result).toEqual({
        status: 200,
        result: "updated",
        version: 8,
        url: `redis://***@127.0.0.1:${redis.port}`,
        dryRun: false,
      });
    } finally {
      process.stderr.write = write;
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    expect(ssm.parameters.get("/restyled/bundle/redis-url")).toMatchObject({
      value: redis.url,
      type: "SecureString",
      keyId: "alias/restyled",
      version: 8,
    });
    const targets = ssm.requests.map((r) => r.headers["x-amz-target"]);
    expect(targets).toEqual([
      "AmazonSSM.GetParameter",
      "AmazonSSM.GetParameter",
      "AmazonSSM.DescribeParameters",
      "AmazonSSM.PutParameter",
    ]);
    const log = lines.join("");
    expect(log).toContain('"msg":"updated /restyled/bundle/redis-url"');
    for (const secret of [API_KEY, PASSWORD, "old-bundle-password"])
      expect(log).not.toContain(secret);
  });
});
