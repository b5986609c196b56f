import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type RedisServer, startRedis } from "@restyled/testkit";
import { type HerokuApiStandIn, startHerokuApi } from "@restyled/testkit/heroku-api";
import { unzipSync } from "fflate";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type EcsEndpoint, startEcsEndpoint } from "./ecs-endpoint.js";
import { createEcsState, parameterArn, taskDefinition } from "./ecs-state.js";
import { type SsmEndpoint, startSsmEndpoint } from "./ssm-endpoint.js";

// The built dist/lambda.zip, unzipped and invoked as Lambda would
// (`index.handler`). Its bundled SDK cannot be mocked in-process, so SSM and
// ECS are loopback endpoints speaking their JSON protocols (stand-ins) reached
// through AWS_ENDPOINT_URL_SSM / _ECS; Heroku is the testkit stand-in; Redis
// and PostgreSQL (over TLS, verified with its CA) are real.
const ZIP = new URL("../dist/lambda.zip", import.meta.url);
const API_KEY = "heroku-key-bundle-9f9f9f";
const PASSWORD = "bundle-redis-password-a1a1";
let dir: string;
let heroku: HerokuApiStandIn;
let redis: RedisServer;
let ssm: SsmEndpoint;
let ecs: EcsEndpoint;
let databaseUrl: string;
const postgres = inject("postgres");

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
  const admin = new pg.Client({ connectionString: postgres.url, ssl: false });
  await admin.connect();
  await admin.query("CREATE ROLE bundle_role LOGIN PASSWORD 'bundle-db-password-e3e3'");
  await admin.end();
  databaseUrl = `postgres://bundle_role:bundle-db-password-e3e3@127.0.0.1:${postgres.port}/postgres`;
  heroku.apps["restyled-io"] = { REDIS_URL: redis.url, DATABASE_URL: databaseUrl };
  const webhooks = taskDefinition("restyled-bundle-webhooks", {
    REDIS_URL: parameterArn("/restyled/bundle/redis-url"),
    DATABASE_URL: parameterArn("/restyled/bundle/database-url"),
  });
  ecs = await startEcsEndpoint(
    createEcsState("restyled-bundle", {
      services: [
        {
          name: "webhooks",
          taskDefinition: webhooks.taskDefinitionArn ?? "",
          rollout: "settles-at-once",
        },
      ],
      taskDefinitions: [webhooks],
    }),
  );
  ssm = await startSsmEndpoint({
    "/restyled/bundle/heroku-api-key": { value: API_KEY, type: "SecureString", version: 1 },
    "/restyled/bundle/redis-url": {
      value: "redis://:old-bundle-password@127.0.0.1:1",
      type: "SecureString",
      version: 7,
      keyId: "alias/restyled",
    },
    "/restyled/bundle/database-url": {
      value: databaseUrl,
      type: "SecureString",
      version: 2,
    },
  });
});
afterAll(async () => {
  await Promise.all([heroku?.close(), redis?.stop(), ssm?.close(), ecs?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("dist/lambda.zip", () => {
  it("exports handler, which updates the parameter and rolls its readers over real (signed) SSM and ECS calls", async () => {
    const lines: string[] = [];
    const write = process.stderr.write;
    const env: Record<string, string> = {
      RESTYLED_ENV: "bundle",
      HEROKU_API_URL: heroku.url,
      AWS_ENDPOINT_URL_SSM: ssm.url,
      AWS_ENDPOINT_URL_ECS: ecs.url,
      ECS_CLUSTER: "restyled-bundle",
      POSTGRES_TLS_CA_FILE: postgres.caFile,
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
        results: [
          {
            configVar: "REDIS_URL",
            parameter: "/restyled/bundle/redis-url",
            result: "updated",
            version: 8,
            url: `redis://:[redacted]@127.0.0.1:${redis.port}`,
          },
          {
            configVar: "DATABASE_URL",
            parameter: "/restyled/bundle/database-url",
            result: "matched",
            version: 2,
            url: `postgres://[redacted]:[redacted]@127.0.0.1:${postgres.port}/postgres`,
          },
        ],
        rolled: [
          {
            service: "webhooks",
            reads: ["/restyled/bundle/redis-url"],
            deployment: expect.stringMatching(/^ecs-svc\//),
          },
        ],
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
      "AmazonSSM.GetParameter",
    ]);
    expect(ecs.operations()).toEqual([
      "ListServices",
      "DescribeServices",
      "DescribeTaskDefinition",
      "UpdateService",
      "DescribeServices",
    ]);
    const log = lines.join("");
    expect(log).toContain('"msg":"updated /restyled/bundle/redis-url"');
    for (const secret of [API_KEY, PASSWORD, "old-bundle-password", "bundle-db-password-e3e3"])
      expect(log).not.toContain(secret);
  });
});
