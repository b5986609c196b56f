import { ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { createLogger } from "@restyled/core/logger";
import { type RedisServer, startRedis } from "@restyled/testkit";
import { type HerokuApiStandIn, startHerokuApi } from "@restyled/testkit/heroku-api";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { type CheckOutcome, checkCredentials } from "../src/check.js";
import { type Config, resolveConfig } from "../src/config.js";
import {
  ConfigError,
  InvalidPostgresUrlError,
  InvalidUrlError,
  PostgresUnreachableError,
  RollError,
  SyncFailedError,
} from "../src/errors.js";
import { mockEcs, parameterArn, REGION, type StandInService, taskDefinition } from "./ecs-store.js";
import { mockSsmStore } from "./ssm-store.js";

// A rotation end to end. Real: redis-server and PostgreSQL (password, TLS
// with a throwaway CA, like Heroku's self-signed certificates), HTTP over
// loopback. Stand-ins: the Heroku Platform API (testkit), SSM and ECS
// (aws-sdk-client-mock over in-memory stores with the API's rules and shapes).
const API_KEY = "heroku-key-rotation-5150";
const REDIS_PASSWORD = "rotated-redis-password-77aa";
const OLD_SECRET = "old-credential-secret-0f0f";
const CLUSTER = "restyled-rot";
let heroku: HerokuApiStandIn;
let redis: RedisServer;
let admin: pg.Client;
const postgres = inject("postgres");
const cleanups: Array<() => void> = [];
let runs = 0;

beforeAll(async () => {
  [heroku, redis] = await Promise.all([
    startHerokuApi({ token: API_KEY }),
    startRedis({ password: REDIS_PASSWORD }),
  ]);
  admin = new pg.Client({ connectionString: postgres.url, ssl: false });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await Promise.all([heroku?.close(), redis?.stop()]);
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A fresh login role with a password, as Heroku creates on rotation; returns its URL. */
async function createRole(run: number, password: string): Promise<string> {
  const role = `rotated_${run}_${Math.floor(Math.random() * 1e6)}`;
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  return `postgres://${role}:${encodeURIComponent(password)}@127.0.0.1:${postgres.port}/postgres`;
}

const WEBHOOKS_TD = "restyled-rot-webhooks";

/** Services of the cluster: webhooks reads both URLs by ARN, worker the database by name, others neither. */
function cluster(
  env: string,
  options: { webhooks?: Partial<StandInService>; fillers?: number } = {},
) {
  const redisParameter = `/restyled/${env}/redis-url`;
  const databaseParameter = `/restyled/${env}/database-url`;
  const definitions = [
    taskDefinition(WEBHOOKS_TD, {
      REDIS_URL: parameterArn(redisParameter),
      DATABASE_URL: parameterArn(databaseParameter),
    }),
    taskDefinition("restyled-rot-worker", { DATABASE_URL: databaseParameter }),
    // Same name, another region: a different parameter.
    taskDefinition("restyled-rot-elsewhere", {
      REDIS_URL: parameterArn(redisParameter, "eu-west-1"),
    }),
    taskDefinition("restyled-rot-other", {
      GITHUB_APP_KEY: parameterArn(`/restyled/${env}/github-app-key`),
    }),
  ];
  const arn = (family: string) =>
    definitions.find((d) => d.family === family)?.taskDefinitionArn ?? "";
  const services: StandInService[] = [
    { name: "webhooks", taskDefinition: arn(WEBHOOKS_TD), ...options.webhooks },
    { name: "worker", taskDefinition: arn("restyled-rot-worker") },
    { name: "elsewhere", taskDefinition: arn("restyled-rot-elsewhere") },
    // Enough services that listing them takes more than one page of 100.
    ...Array.from({ length: options.fillers ?? 0 }, (_, i) => ({
      name: `filler-${i}`,
      taskDefinition: arn("restyled-rot-other"),
    })),
  ];
  return mockEcs(CLUSTER, { services, taskDefinitions: definitions });
}

interface SetUpOptions {
  heroku: Record<string, string>;
  stored?: Record<string, string>;
  webhooks?: Partial<StandInService>;
  fillers?: number;
}

function setUp(options: SetUpOptions) {
  runs += 1;
  const env = `rot${runs}`;
  const app = `restyled-rotation-${runs}`;
  heroku.apps[app] = options.heroku;
  const parameters: Parameters<typeof mockSsmStore>[0] = {
    [`/restyled/${env}/heroku-api-key`]: { value: API_KEY, type: "SecureString", version: 1 },
  };
  for (const [key, value] of Object.entries(options.stored ?? {})) {
    parameters[`/restyled/${env}/${key}`] = { value, type: "SecureString", version: 3 };
  }
  const ssm = mockSsmStore(parameters);
  const ecs = cluster(env, options);
  cleanups.push(
    () => ssm.mock.restore(),
    () => ecs.restore(),
  );
  const lines: string[] = [];
  const logger = createLogger({
    name: "test",
    level: "debug",
    stream: { write: (line: string) => lines.push(line) },
  });
  const config = (extra: Partial<Config> = {}): Config => ({
    ...resolveConfig(
      [
        ...["--env", env, "--app", app, "--cluster", CLUSTER, "--heroku-api-url", heroku.url],
        ...["--ping-timeout", "5s", "--postgres-ca-file", postgres.caFile, "--roll-timeout", "30s"],
      ],
      {},
    ),
    ...extra,
  });
  const run = (extra?: Partial<Config>) =>
    checkCredentials(config(extra), {
      ssm: new SSMClient({ region: REGION }),
      ecs: new ECSClient({ region: REGION }),
      logger,
      rollPollSeconds: 0.05,
    });
  const failure = async (extra?: Partial<Config>) => {
    const error = await run(extra).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SyncFailedError);
    return error as SyncFailedError;
  };
  const value = (key: string) => ssm.parameters.get(`/restyled/${env}/${key}`)?.value;
  const updated = () =>
    ecs.updates().map((call) => String(call.args[0].input.service).split("/").at(-1));
  return { env, app, ssm, ecs, lines, run, failure, value, updated };
}

function expectNoSecrets(lines: string[], secrets: string[]) {
  const text = lines.join("\n");
  for (const secret of [API_KEY, REDIS_PASSWORD, OLD_SECRET, ...secrets]) {
    expect(text).not.toContain(secret);
  }
}

const oldRedis = `rediss://:${OLD_SECRET}@10.255.0.1:25310`;
const oldDatabase = `postgres://old_role:${OLD_SECRET}@10.255.0.2:5432/d1`;

describe("a rotated credential reaches the services that read it", () => {
  it("writes a rotated Redis and PostgreSQL URL that work, then rolls exactly the services reading them", async () => {
    const password = "rotated-db-password-1e1e";
    const database = await createRole(runs + 1, password);
    const t = setUp({
      heroku: { REDIS_URL: redis.url, DATABASE_URL: database, OTHER: "x" },
      stored: { "redis-url": oldRedis, "database-url": oldDatabase },
      fillers: 104,
    });
    const outcome: CheckOutcome = await t.run();
    expect(outcome.results).toEqual([
      {
        configVar: "REDIS_URL",
        parameter: `/restyled/${t.env}/redis-url`,
        result: "updated",
        version: 4,
        url: `redis://:[redacted]@127.0.0.1:${redis.port}`,
      },
      {
        configVar: "DATABASE_URL",
        parameter: `/restyled/${t.env}/database-url`,
        result: "updated",
        version: 4,
        url: `postgres://[redacted]:[redacted]@127.0.0.1:${postgres.port}/postgres`,
      },
    ]);
    expect(t.value("redis-url")).toBe(redis.url);
    expect(t.value("database-url")).toBe(database);
    expect(t.updated()).toEqual(["webhooks", "worker"]);
    for (const call of t.ecs.updates()) {
      expect(call.args[0].input).toMatchObject({ cluster: CLUSTER, forceNewDeployment: true });
    }
    expect(outcome.rolled).toEqual([
      {
        service: "webhooks",
        reads: [`/restyled/${t.env}/redis-url`, `/restyled/${t.env}/database-url`],
        deployment: expect.stringMatching(/^ecs-svc\//),
      },
      {
        service: "worker",
        reads: [`/restyled/${t.env}/database-url`],
        deployment: expect.stringMatching(/^ecs-svc\//),
      },
    ]);
    // The new deployments are the services' only ones now: steady.
    for (const name of ["webhooks", "worker"]) {
      const service = t.ecs.services.get(name)?.service;
      expect(service?.deployments?.map((d: { id?: string }) => d.id)).toEqual([
        outcome.rolled.find((r) => r.service === name)?.deployment,
      ]);
    }
    expectNoSecrets(t.lines, [password]);
  });

  it("neither writes nor rolls a rotated URL that fails, and fails the run", async () => {
    const database = await createRole(runs + 1, "the-real-password-2d2d");
    const wrong = database.replace("the-real-password-2d2d", "a-wrong-password-3c3c");
    const t = setUp({
      heroku: { REDIS_URL: redis.url, DATABASE_URL: wrong },
      stored: { "redis-url": redis.url, "database-url": oldDatabase },
    });
    const error = await t.failure();
    expect(error.failures).toHaveLength(1);
    expect(error.failures[0]).toBeInstanceOf(PostgresUnreachableError);
    expect(error.message).toMatch(
      /^postgres:\/\/\[redacted\]:\[redacted\]@127\.0\.0\.1:\d+\/postgres did not answer SELECT 1: the server rejected the credentials \(password authentication failed/,
    );
    expect(error.outcome.results.map((r) => r.result)).toEqual(["matched", "failed"]);
    expect(t.ssm.puts()).toHaveLength(0);
    expect(t.value("database-url")).toBe(oldDatabase);
    expect(t.ecs.updates()).toHaveLength(0);
    expect(error.outcome.rolled).toEqual([]);
    expectNoSecrets(t.lines, ["a-wrong-password-3c3c", "the-real-password-2d2d"]);
  });

  it("still writes and rolls for the URL that works when another one fails", async () => {
    const t = setUp({
      heroku: {
        REDIS_URL: redis.url,
        DATABASE_URL: `postgres://nobody:${OLD_SECRET}x@127.0.0.1:${postgres.port}/postgres`,
      },
      stored: { "redis-url": oldRedis, "database-url": oldDatabase },
    });
    const error = await t.failure();
    expect(error.outcome.results.map((r) => r.result)).toEqual(["updated", "failed"]);
    expect(t.value("redis-url")).toBe(redis.url);
    expect(t.value("database-url")).toBe(oldDatabase);
    // Only webhooks reads the Redis URL; worker reads only the database URL, which was not written.
    expect(t.updated()).toEqual(["webhooks"]);
    expect(error.outcome.rolled.map((r) => r.service)).toEqual(["webhooks"]);
  });

  it("fails the run when a rolled service never settles, after writing the URL", async () => {
    const t = setUp({
      heroku: { REDIS_URL: redis.url, DATABASE_URL: oldDatabase },
      stored: { "redis-url": oldRedis, "database-url": oldDatabase },
      webhooks: { rollout: "never-settles" },
    });
    const error = await t.failure({ rollTimeoutMs: 2_000 });
    expect(error.failures[0]).toBeInstanceOf(RollError);
    expect(error.message).toBe(
      "webhooks (2 of 2 tasks running, 2 deployments, status ACTIVE) did not reach a steady state within 2s; its tasks may still hold the old credentials",
    );
    expect(t.value("redis-url")).toBe(redis.url);
    expect(t.updated()).toEqual(["webhooks"]);
  });

  it("fails the run when the deployment is rolled back by the circuit breaker", async () => {
    const t = setUp({
      heroku: { REDIS_URL: redis.url, DATABASE_URL: oldDatabase },
      stored: { "redis-url": oldRedis, "database-url": oldDatabase },
      webhooks: { rollout: "rolls-back" },
    });
    const error = await t.failure();
    expect(error.failures[0]).toBeInstanceOf(RollError);
    expect(error.message).toMatch(
      /^webhooks settled without the new deployment ecs-svc\/\d+ \(rolled back: ECS deployment detected a failure and rolled back\.\)/,
    );
  });

  it("says on a dry run what it would write and roll, and does neither", async () => {
    const t = setUp({
      heroku: { REDIS_URL: redis.url, DATABASE_URL: oldDatabase },
      stored: { "redis-url": oldRedis, "database-url": oldDatabase },
    });
    const outcome = await t.run({ dryRun: true });
    expect(outcome).toMatchObject({
      dryRun: true,
      results: [{ result: "updated", version: 3 }, { result: "matched" }],
      rolled: [{ service: "webhooks", reads: [`/restyled/${t.env}/redis-url`] }],
    });
    expect(outcome.rolled[0]).not.toHaveProperty("deployment");
    expect(t.ssm.puts()).toHaveLength(0);
    expect(t.ecs.updates()).toHaveLength(0);
    const messages = t.lines.map((line) => JSON.parse(line).msg);
    expect(messages).toContain(`dry run: would have updated /restyled/${t.env}/redis-url`);
    expect(messages).toContain("dry run: would have rolled the services reading the new URLs");
  });

  it("rolls nothing when nothing changed", async () => {
    const t = setUp({
      heroku: { REDIS_URL: redis.url, DATABASE_URL: oldDatabase },
      stored: { "redis-url": redis.url, "database-url": oldDatabase },
    });
    expect(await t.run()).toMatchObject({
      rolled: [],
      results: [{ result: "matched" }, { result: "matched" }],
    });
    expect(t.ecs.mock.calls()).toHaveLength(0);
  });

  it("explains an ECS refusal as configuration, after writing", async () => {
    const t = setUp({
      heroku: { REDIS_URL: redis.url, DATABASE_URL: oldDatabase },
      stored: { "redis-url": oldRedis, "database-url": oldDatabase },
    });
    const { AccessDeniedException } = await import("@aws-sdk/client-ecs");
    t.ecs.mock.on(UpdateServiceCommand).rejects(
      new AccessDeniedException({
        message: "not authorized to perform: ecs:UpdateService",
        $metadata: {},
      }),
    );
    const error = await t.failure();
    expect(error.failures[0]).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      /^not allowed to ecs:UpdateService webhooks \(check the IAM policy\)/,
    );
    const wrongCluster = setUp({
      heroku: { REDIS_URL: redis.url, DATABASE_URL: oldDatabase },
      stored: { "redis-url": oldRedis, "database-url": oldDatabase },
    });
    const missing = await wrongCluster.failure({ cluster: "no-such-cluster" });
    expect(missing.message).toBe(
      "ECS has no cluster no-such-cluster; check --cluster / ECS_CLUSTER",
    );
  });

  it("writes but warns when no cluster is configured", async () => {
    const t = setUp({
      heroku: { REDIS_URL: redis.url, DATABASE_URL: oldDatabase },
      stored: { "redis-url": oldRedis, "database-url": oldDatabase },
    });
    expect(await t.run({ cluster: undefined })).toMatchObject({ rolled: [] });
    expect(t.value("redis-url")).toBe(redis.url);
    expect(t.ecs.mock.calls()).toHaveLength(0);
    const warning = t.lines.map((line) => JSON.parse(line)).find((r) => r.level === "warn");
    expect(warning?.msg).toMatch(/^no ECS cluster configured/);
  });
});

describe("PostgreSQL TLS", () => {
  it("refuses the self-signed certificate by default, with a hint, and writes nothing", async () => {
    const database = await createRole(runs + 1, "tls-db-password-4b4b");
    const t = setUp({
      heroku: { REDIS_URL: redis.url, DATABASE_URL: database },
      stored: { "redis-url": redis.url },
    });
    const error = await t.failure({ postgresCaFile: undefined });
    expect(error.message).toMatch(/self-signed|self signed|unable to verify|certificate/i);
    expect(error.message).toContain("--postgres-insecure-skip-tls-verify");
    expect(t.ssm.puts()).toHaveLength(0);

    expect(await t.run({ postgresCaFile: undefined, postgresTlsVerify: false })).toMatchObject({
      results: [{ result: "matched" }, { result: "created" }],
    });
    const warnings = t.lines.map((line) => JSON.parse(line)).filter((r) => r.level === "warn");
    expect(warnings.map((r) => r.msg)).toContain(
      "TLS certificate verification of PostgreSQL servers is OFF",
    );
  });

  it("connects without TLS only when the URL says sslmode=disable", async () => {
    const database = `${await createRole(runs + 1, "plain-db-password-5a5a")}?sslmode=disable`;
    const t = setUp({
      heroku: { REDIS_URL: redis.url, DATABASE_URL: database },
      stored: { "redis-url": redis.url },
    });
    expect(await t.run({ postgresCaFile: undefined })).toMatchObject({
      results: [{ result: "matched" }, { result: "created" }],
    });
    expect(t.value("database-url")).toBe(database);
  });
});

describe("malformed URLs and Heroku answers touch nothing", () => {
  it.each([
    [`postgres://u:${OLD_SECRET}@/d1`, InvalidPostgresUrlError, "is not a valid URL"],
    ["postgres:///d1", InvalidPostgresUrlError, "has no host"],
    [
      `postgres://u:${OLD_SECRET}@h:5432`,
      InvalidPostgresUrlError,
      "has no database name (postgres://user:password@host/DATABASE)",
    ],
    [`postgres://:${OLD_SECRET}@h/d1`, InvalidPostgresUrlError, "has no user name"],
    [`postgres://u:${OLD_SECRET}@h:99999/d1`, InvalidPostgresUrlError, "is not a valid URL"],
    [
      `postgres://u:${OLD_SECRET}%zz@h/d1`,
      InvalidPostgresUrlError,
      "has badly percent-encoded credentials or database name",
    ],
    [
      `postgres://u:${OLD_SECRET}@h/d1?sslmode=sometimes`,
      InvalidPostgresUrlError,
      "has an unknown sslmode (expected one of disable, allow, prefer, require, verify-ca, verify-full)",
    ],
    [`postgres://u:${OLD_SECRET}@h/d1#f`, InvalidPostgresUrlError, "has a #fragment"],
    [
      `mysql://u:${OLD_SECRET}@h/d1`,
      InvalidUrlError,
      "is not a redis://, rediss://, postgres:// or postgresql:// URL",
    ],
    [
      `rediss://:${OLD_SECRET}@h:1`,
      InvalidUrlError,
      "is now a redis URL but /restyled/ENV/database-url holds a postgres URL; refusing to write it (check --sync / SYNC_VARIABLES)",
    ],
  ])("refuses DATABASE_URL %j", async (url, type, problem) => {
    const t = setUp({
      heroku: { REDIS_URL: redis.url, DATABASE_URL: url },
      stored: { "redis-url": redis.url, "database-url": oldDatabase },
    });
    const error = await t.failure();
    expect(error.failures[0]).toBeInstanceOf(type);
    expect(error.message).toBe(
      `Heroku config var DATABASE_URL of ${t.app} ${problem.replace("ENV", t.env)}`,
    );
    expect(t.ssm.puts()).toHaveLength(0);
    expect(t.ecs.mock.calls()).toHaveLength(0);
    expectNoSecrets(t.lines, []);
  });

  it.each([
    ["a body that is not JSON", "<html>maintenance</html>", /something other than a JSON object/],
    ["a JSON array", "[]", /something other than a JSON object/],
    [
      "a config var that is not a string",
      JSON.stringify({ REDIS_URL: 6379, DATABASE_URL: oldDatabase }),
      /REDIS_URL of .* is not a string/,
    ],
  ])("touches nothing on %s", async (_what, body, message) => {
    const t = setUp({
      heroku: {},
      stored: { "redis-url": oldRedis, "database-url": oldDatabase },
    });
    heroku.injectFailure({ status: 200, body, path: new RegExp(`/apps/${t.app}/`) });
    const error = await t.run().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(message);
    expect(t.ssm.puts()).toHaveLength(0);
    expect(t.ecs.mock.calls()).toHaveLength(0);
  });

  it("fails naming the missing config var and still syncs the others", async () => {
    const t = setUp({ heroku: { REDIS_URL: redis.url }, stored: { "redis-url": oldRedis } });
    const error = await t.failure();
    expect(error.message).toBe(`Heroku app ${t.app} has no config var DATABASE_URL`);
    expect(error.failures[0]).toBeInstanceOf(ConfigError);
    expect(error.outcome.results.map((r) => r.result)).toEqual(["updated", "failed"]);
    expect(t.updated()).toEqual(["webhooks"]);
  });
});
