import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { UnavailableError } from "@restyled/core/errors";
import {
  findFreePort,
  type RedisServer,
  startRedis,
  startTlsRedis,
  type TlsRedis,
} from "@restyled/testkit";
import { type HerokuApiStandIn, startHerokuApi } from "@restyled/testkit/heroku-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkCredentials } from "../src/check.js";
import { type Config, resolveConfig } from "../src/config.js";
import {
  ConfigError,
  HerokuApiError,
  InvalidRedisUrlError,
  InvalidUrlError,
  RedisUnreachableError,
  SyncFailedError,
} from "../src/errors.js";
import { ssmError } from "./aws-fixtures.js";
import { capturingLogger } from "./run-log.js";
import { mockSsmStore } from "./ssm-store.js";

// The Redis side of a run (REDIS_URL only, no ECS cluster); rotation.test.ts
// covers DATABASE_URL and rolling the services.
// Real: redis-server (plain and TLS), HTTP over loopback. Stand-ins: the
// Heroku Platform API (testkit, checks the token and Accept header) and SSM
// (aws-sdk-client-mock over an in-memory parameter store).
const API_KEY = "heroku-key-7d1f0c2ab9";
const NEW_PASSWORD = "new-redis-password-c0ffee";
const OLD_PASSWORD = "old-redis-password-deadbeef";
let heroku: HerokuApiStandIn;
let redis: RedisServer;
let tls: TlsRedis;
let store: ReturnType<typeof mockSsmStore> | undefined;
let runs = 0;

beforeAll(async () => {
  [heroku, redis, tls] = await Promise.all([
    startHerokuApi({ token: API_KEY }),
    startRedis({ password: NEW_PASSWORD }),
    startTlsRedis(NEW_PASSWORD),
  ]);
});
afterAll(async () => {
  await Promise.all([heroku?.close(), redis?.stop(), tls?.stop()]);
});
afterEach(() => store?.mock.restore());

/** A fresh environment, app and parameter store for one test. */
function setUp(options: { herokuUrl?: string; storedUrl?: string; apiKey?: string | null }) {
  runs += 1;
  const env = `t${runs}`;
  const app = `restyled-check-${runs}`;
  if (options.herokuUrl !== undefined) heroku.apps[app] = { REDIS_URL: options.herokuUrl };
  const parameters: Parameters<typeof mockSsmStore>[0] = {};
  if (options.apiKey !== null) {
    parameters[`/restyled/${env}/heroku-api-key`] = {
      value: options.apiKey ?? API_KEY,
      type: "SecureString",
      version: 1,
    };
  }
  if (options.storedUrl !== undefined) {
    parameters[`/restyled/${env}/redis-url`] = {
      value: options.storedUrl,
      type: "SecureString",
      version: 4,
      keyId: "alias/restyled",
      tier: "Standard",
    };
  }
  store = mockSsmStore(parameters);
  const { logger, lines } = capturingLogger();
  const config = (extra: Partial<Config> = {}): Config => ({
    ...resolveConfig(
      [
        ...["--env", env, "--app", app, "--sync", "REDIS_URL=redis-url"],
        ...["--heroku-api-url", heroku.url, "--ping-timeout", "30s"],
      ],
      {},
    ),
    ...extra,
  });
  // One variable: its outcome, or its own error rather than the run's wrapper.
  const run = async (extra?: Partial<Config>) => {
    try {
      const outcome = await checkCredentials(config(extra), {
        ssm: new SSMClient({ region: "us-east-1" }),
        logger,
      });
      const { configVar: _var, parameter: _parameter, ...result } = outcome.results[0] ?? {};
      expect(outcome.rolled).toEqual([]);
      return { ...result, dryRun: outcome.dryRun };
    } catch (error) {
      if (error instanceof SyncFailedError) {
        expect(error.failures).toHaveLength(1);
        throw error.failures[0];
      }
      throw error;
    }
  };
  return { env, app, store, lines, run, parameter: `/restyled/${env}/redis-url` };
}

const oldUrl = () => `rediss://:${OLD_PASSWORD}@10.255.0.1:25310`;
const newUrl = () => redis.url;

/** What the whole run wrote to its log, checked for every secret of the test. */
function expectNoSecrets(lines: string[], extra: string[] = []) {
  expect(lines.length).toBeGreaterThan(0);
  const text = lines.join("\n");
  for (const secret of [API_KEY, NEW_PASSWORD, OLD_PASSWORD, ...extra]) {
    expect(text).not.toContain(secret);
  }
}

describe("checkCredentials with REDIS_URL", () => {
  it("writes nothing when SSM already has Heroku's URL", async () => {
    const t = setUp({ herokuUrl: newUrl(), storedUrl: newUrl() });
    expect(await t.run()).toEqual({
      result: "matched",
      version: 4,
      url: `redis://:[redacted]@127.0.0.1:${redis.port}`,
      dryRun: false,
    });
    expect(t.store.puts()).toHaveLength(0);
    expectNoSecrets(t.lines);
  });

  it("proves a changed URL with PING, then overwrites keeping the SecureString and its key", async () => {
    const t = setUp({ herokuUrl: newUrl(), storedUrl: oldUrl() });
    expect(await t.run()).toEqual({
      result: "updated",
      version: 5,
      url: `redis://:[redacted]@127.0.0.1:${redis.port}`,
      dryRun: false,
    });
    expect(t.store.parameters.get(t.parameter)).toEqual({
      value: newUrl(),
      type: "SecureString",
      version: 5,
      keyId: "alias/restyled",
      tier: "Standard",
    });
    const records = t.lines.map((line) => JSON.parse(line));
    expect(records.find((r) => r.msg === "Heroku's URL differs from SSM")).toMatchObject({
      from: "rediss://:[redacted]@10.255.0.1:25310",
      to: `redis://:[redacted]@127.0.0.1:${redis.port}`,
      changed: ["scheme", "host", "port", "password"],
    });
    expectNoSecrets(t.lines);
  });

  it("creates the parameter as a SecureString on the first run", async () => {
    const t = setUp({ herokuUrl: newUrl() });
    expect(await t.run()).toMatchObject({ result: "created", version: 1 });
    expect(t.store.parameters.get(t.parameter)).toMatchObject({
      value: newUrl(),
      type: "SecureString",
    });
    expect(t.store.puts()[0]?.args[0].input).toMatchObject({ Overwrite: false });
  });

  it("does not write a new URL that fails PING, and fails loudly", async () => {
    const wrong = `redis://:${OLD_PASSWORD}@127.0.0.1:${redis.port}`;
    const t = setUp({ herokuUrl: wrong, storedUrl: oldUrl() });
    const error = await t.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnreachableError);
    expect((error as Error).message).toMatch(/rejected the credentials/);
    expect((error as Error).message).not.toContain(OLD_PASSWORD);
    expect(t.store.puts()).toHaveLength(0);
    expect(t.store.parameters.get(t.parameter)?.value).toBe(oldUrl());
    expectNoSecrets(t.lines);
  });

  it("does not write a URL whose server is gone", async () => {
    const port = await findFreePort();
    const t = setUp({ herokuUrl: `redis://:${NEW_PASSWORD}@127.0.0.1:${port}` });
    await expect(t.run()).rejects.toThrow(/ECONNREFUSED/);
    expect(t.store.puts()).toHaveLength(0);
    expect(t.store.parameters.has(t.parameter)).toBe(false);
  });

  it.each([
    [
      `rediss//:${NEW_PASSWORD}@host:1`,
      InvalidUrlError,
      "is not a redis://, rediss://, postgres:// or postgresql:// URL",
    ],
    ["", InvalidUrlError, "is empty"],
    [
      `redis://:${NEW_PASSWORD}@host:1/db`,
      InvalidRedisUrlError,
      "has a path that is not a database number",
    ],
    [`redis::${NEW_PASSWORD}`, InvalidRedisUrlError, "has no host"],
    [
      `rediss://:${NEW_PASSWORD}%zz@h:1`,
      InvalidRedisUrlError,
      "has badly percent-encoded credentials",
    ],
    [`rediss://:${NEW_PASSWORD}@h:1#x`, InvalidRedisUrlError, "has a #fragment"],
  ])("does not write the malformed URL %j, and does not echo it", async (url, type, problem) => {
    const t = setUp({ herokuUrl: url, storedUrl: oldUrl() });
    const error = await t.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toBe(`Heroku config var REDIS_URL of ${t.app} ${problem}`);
    expect(t.store.puts()).toHaveLength(0);
    expect(t.store.parameters.get(t.parameter)?.value).toBe(oldUrl());
    expectNoSecrets(t.lines);
  });

  it.each([
    [401, ConfigError, /Heroku rejected the API key from SSM \/restyled\/t\d+\/heroku-api-key/],
    [403, ConfigError, /may not read the config vars/],
    [404, ConfigError, /has no app/],
    [503, HerokuApiError, /the Heroku API failed \(503/],
  ])("writes nothing when Heroku answers %i", async (status, type, message) => {
    const t = setUp({ herokuUrl: newUrl(), storedUrl: oldUrl() });
    if (status === 401) t.store.parameters.get(`/restyled/${t.env}/heroku-api-key`)!.value = "bad";
    if (status === 403) heroku.forbiddenApps.add(t.app);
    if (status === 404) delete heroku.apps[t.app];
    if (status === 503) heroku.injectFailure({ status, path: new RegExp(`/apps/${t.app}/`) });
    const error = await t.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    expect(t.store.puts()).toHaveLength(0);
    expect(t.store.parameters.get(t.parameter)?.version).toBe(4);
  });

  it("fails naming the parameter when the Heroku API key is missing", async () => {
    const t = setUp({ herokuUrl: newUrl(), apiKey: null });
    await expect(t.run()).rejects.toThrow(
      new ConfigError(
        `SSM parameter /restyled/${t.env}/heroku-api-key does not exist; store the Heroku API key there`,
      ),
    );
    expect(heroku.requests.some((r) => r.url.includes(t.app))).toBe(false);
  });

  it("writes nothing when SSM throttles or denies the write", async () => {
    const t = setUp({ herokuUrl: newUrl(), storedUrl: oldUrl() });
    t.store.mock.on(PutParameterCommand).rejects(ssmError("ThrottlingException"));
    await expect(t.run()).rejects.toThrow(UnavailableError);
    expect(t.store.parameters.get(t.parameter)?.value).toBe(oldUrl());
    t.store.mock.on(PutParameterCommand).rejects(ssmError("AccessDeniedException"));
    await expect(t.run()).rejects.toThrow(ConfigError);
    expect(t.store.parameters.get(t.parameter)?.value).toBe(oldUrl());
  });

  it("checks but writes nothing on a dry run", async () => {
    const t = setUp({ herokuUrl: newUrl(), storedUrl: oldUrl() });
    expect(await t.run({ dryRun: true })).toMatchObject({
      result: "updated",
      version: 4,
      dryRun: true,
    });
    expect(t.store.puts()).toHaveLength(0);
    const bad = setUp({ herokuUrl: `redis://:x@127.0.0.1:${await findFreePort()}` });
    await expect(bad.run({ dryRun: true })).rejects.toThrow(RedisUnreachableError);
  });

  describe("with a rediss:// URL", () => {
    it("refuses Heroku's self-signed certificate unless verification is turned off", async () => {
      const t = setUp({ herokuUrl: tls.url, storedUrl: oldUrl() });
      await expect(t.run()).rejects.toThrow(/--insecure-skip-tls-verify/);
      expect(t.store.puts()).toHaveLength(0);

      expect(await t.run({ redisTlsVerify: false })).toMatchObject({ result: "updated" });
      const warnings = t.lines.map((line) => JSON.parse(line)).filter((r) => r.level === "warn");
      expect(warnings.map((r) => r.msg)).toEqual([
        "REDIS_URL was not written",
        "TLS certificate verification of rediss:// servers is OFF",
        "not verifying the Redis server's TLS certificate (insecure opt-out)",
        "no ECS cluster configured (--cluster / ECS_CLUSTER): running services keep the old URL until they are redeployed",
      ]);
      expectNoSecrets(t.lines);
    });

    it("verifies against a CA given in a file", async () => {
      const t = setUp({ herokuUrl: tls.url });
      expect(await t.run({ redisCaFile: tls.caFile })).toMatchObject({ result: "created" });
      const missing = setUp({ herokuUrl: tls.url });
      await expect(missing.run({ redisCaFile: `${tls.caFile}.missing` })).rejects.toThrow(
        /cannot read the CA file .*\(--redis-ca-file \/ REDIS_TLS_CA_FILE\): ENOENT/,
      );
    });
  });
});
