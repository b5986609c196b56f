import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import {
  findFreePort,
  type RedisServer,
  startRedis,
  startTlsRedis,
  type TlsRedis,
} from "@restyled/testkit";
import { type HerokuApiStandIn, startHerokuApi } from "@restyled/testkit/heroku-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkRedisUrl } from "../src/check.js";
import { type Config, resolveConfig } from "../src/config.js";
import {
  ConfigError,
  HerokuApiError,
  InvalidRedisUrlError,
  RedisUnreachableError,
  SsmError,
} from "../src/errors.js";
import { createLogger } from "../src/logger.js";
import { ssmError } from "./aws-fixtures.js";
import { mockSsmStore } from "./ssm-store.js";

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
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", write: (line) => lines.push(line) });
  const config = (extra: Partial<Config> = {}): Config => ({
    ...resolveConfig(
      { env, app, "heroku-api-url": heroku.url, "allow-http": true, "ping-timeout": "30s" },
      {},
    ),
    ...extra,
  });
  const run = (extra?: Partial<Config>) =>
    checkRedisUrl(config(extra), { ssm: new SSMClient({ region: "us-east-1" }), logger });
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

describe("checkRedisUrl", () => {
  it("writes nothing when SSM already has Heroku's URL", async () => {
    const t = setUp({ herokuUrl: newUrl(), storedUrl: newUrl() });
    expect(await t.run()).toEqual({
      result: "matched",
      version: 4,
      url: `redis://***@127.0.0.1:${redis.port}`,
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
      url: `redis://***@127.0.0.1:${redis.port}`,
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
    expect(records.find((r) => r.msg === "Heroku's Redis URL differs from SSM")).toMatchObject({
      from: "rediss://***@10.255.0.1:25310",
      to: `redis://***@127.0.0.1:${redis.port}`,
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

  it("does not write a malformed URL, and does not echo it", async () => {
    const t = setUp({ herokuUrl: `rediss//:${NEW_PASSWORD}@host:1`, storedUrl: oldUrl() });
    const error = await t.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRedisUrlError);
    expect((error as Error).message).toBe(
      `Heroku config var REDIS_URL of ${t.app} is not a valid URL`,
    );
    expect(t.store.puts()).toHaveLength(0);
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
    await expect(t.run()).rejects.toThrow(SsmError);
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
      const warning = t.lines.map((line) => JSON.parse(line)).find((r) => r.level === "warn");
      expect(warning?.msg).toBe("TLS certificate verification of rediss:// servers is OFF");
      expectNoSecrets(t.lines);
    });

    it("verifies against a CA given in a file", async () => {
      const t = setUp({ herokuUrl: tls.url });
      expect(await t.run({ redisCaFile: tls.caFile })).toMatchObject({ result: "created" });
      const missing = setUp({ herokuUrl: tls.url });
      await expect(missing.run({ redisCaFile: `${tls.caFile}.missing` })).rejects.toThrow(
        /cannot read the Redis CA file .*ENOENT/,
      );
    });
  });
});
