import { AccessDeniedException, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import type { CheckOutcome } from "../src/check.js";
import { ConfigError, PostgresUnreachableError, RollError } from "../src/errors.js";
import {
  CLUSTER,
  createRole,
  expectNoSecrets,
  OLD_SECRET,
  oldDatabase,
  oldRedis,
  postgres,
  redis,
  setUp,
} from "./rotation-fixture.js";

// A rotation end to end: real redis-server and PostgreSQL, stand-ins for
// Heroku, SSM and ECS (see rotation-fixture.ts).
describe("a rotated credential reaches the services that read it", () => {
  it("writes a rotated Redis and PostgreSQL URL that work, then rolls exactly the services reading them", async () => {
    const password = "rotated-db-password-1e1e";
    const database = await createRole(password);
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
    const database = await createRole("the-real-password-2d2d");
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
