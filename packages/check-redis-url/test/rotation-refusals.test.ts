import { describe, expect, it } from "vitest";
import { ConfigError, InvalidPostgresUrlError, InvalidUrlError } from "../src/errors.js";
import {
  createRole,
  expectNoSecrets,
  heroku,
  OLD_SECRET,
  oldDatabase,
  oldRedis,
  redis,
  setUp,
} from "./rotation-fixture.js";

// What a run refuses, and that a refusal touches neither SSM nor ECS: TLS it
// cannot verify, malformed URLs, broken Heroku answers (see rotation-fixture.ts).
describe("PostgreSQL TLS", () => {
  it("refuses the self-signed certificate by default, with a hint, and writes nothing", async () => {
    const database = await createRole("tls-db-password-4b4b");
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
    const database = `${await createRole("plain-db-password-5a5a")}?sslmode=disable`;
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
