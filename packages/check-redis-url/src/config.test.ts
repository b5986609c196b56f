import { describe, expect, it } from "vitest";
import { resolveConfig } from "./config.js";
import { ConfigError, UsageError } from "./errors.js";

describe("resolveConfig", () => {
  it("derives everything from RESTYLED_ENV with safe defaults", () => {
    expect(resolveConfig({}, { RESTYLED_ENV: "prod" })).toEqual({
      env: "prod",
      app: "restyled-io",
      configVar: "REDIS_URL",
      redisUrlParameter: "/restyled/prod/redis-url",
      herokuApiKeyParameter: "/restyled/prod/heroku-api-key",
      herokuApiUrl: "https://api.heroku.com",
      redisTlsVerify: true,
      redisCaFile: undefined,
      pingTimeoutMs: 5_000,
      dryRun: false,
      region: undefined,
      logLevel: "info",
    });
  });

  it("lets flags override environment variables", () => {
    const config = resolveConfig(
      { env: "staging", app: "restyled-staging", "dry-run": true, "ping-timeout": "750ms" },
      { RESTYLED_ENV: "prod", HEROKU_APP: "restyled-io", HEROKU_CONFIG_VAR: "REDIS_TLS_URL" },
    );
    expect(config).toMatchObject({
      env: "staging",
      app: "restyled-staging",
      configVar: "REDIS_TLS_URL",
      redisUrlParameter: "/restyled/staging/redis-url",
      dryRun: true,
      pingTimeoutMs: 750,
    });
  });

  it("names RESTYLED_ENV as configuration and --env as usage when missing or bad", () => {
    expect(() => resolveConfig({}, {})).toThrow(
      new ConfigError("RESTYLED_ENV is required (the environment, such as prod)"),
    );
    expect(() => resolveConfig({ env: "" }, {})).toThrow(UsageError);
    expect(() => resolveConfig({ env: "../prod" }, {})).toThrow(
      new UsageError(`--env must be letters, digits, '.', '_' or '-' (got "../prod")`),
    );
  });

  it("rejects app, config var and parameter names that could escape their path", () => {
    expect(() => resolveConfig({ env: "prod", app: "a/../b" }, {})).toThrow(/--app must be/);
    expect(() => resolveConfig({}, { RESTYLED_ENV: "prod", HEROKU_CONFIG_VAR: "A-B" })).toThrow(
      /HEROKU_CONFIG_VAR must be a config var name/,
    );
    expect(() => resolveConfig({ env: "prod", "redis-url-parameter": "relative" }, {})).toThrow(
      /--redis-url-parameter must be an SSM parameter path/,
    );
  });

  it("refuses a plain http Heroku API unless explicitly allowed", () => {
    const env = { RESTYLED_ENV: "prod", HEROKU_API_URL: "http://127.0.0.1:9/" };
    expect(() => resolveConfig({}, env)).toThrow(/HEROKU_API_URL uses plain http/);
    expect(resolveConfig({}, { ...env, HEROKU_API_ALLOW_HTTP: "true" }).herokuApiUrl).toBe(
      "http://127.0.0.1:9",
    );
    expect(resolveConfig({ "allow-http": true }, env).herokuApiUrl).toBe("http://127.0.0.1:9");
  });

  it("refuses a Heroku API URL with credentials, another scheme or a query, without echoing it", () => {
    const base = { env: "prod" };
    const withKey = () => resolveConfig({ ...base, "heroku-api-url": "https://u:topsecret@h" }, {});
    expect(withKey).toThrow(/must not carry credentials/);
    expect(withKey).not.toThrow(/topsecret/);
    expect(() => resolveConfig({ ...base, "heroku-api-url": "ftp://h" }, {})).toThrow(/https URL/);
    expect(() => resolveConfig({ ...base, "heroku-api-url": "https://h/?a=1" }, {})).toThrow(
      /without query/,
    );
    expect(() => resolveConfig({ ...base, "heroku-api-url": "not a url" }, {})).toThrow(
      /--heroku-api-url must be a URL/,
    );
  });

  it("turns TLS verification off only when asked", () => {
    expect(resolveConfig({}, { RESTYLED_ENV: "p", REDIS_TLS_INSECURE: "1" }).redisTlsVerify).toBe(
      false,
    );
    expect(resolveConfig({ env: "p", "insecure-skip-tls-verify": true }, {}).redisTlsVerify).toBe(
      false,
    );
    expect(() => resolveConfig({}, { RESTYLED_ENV: "p", REDIS_TLS_INSECURE: "maybe" })).toThrow(
      new ConfigError(`REDIS_TLS_INSECURE must be true or false (got "maybe")`),
    );
  });

  it("rejects a ping timeout without a unit or out of range", () => {
    expect(() => resolveConfig({ env: "p", "ping-timeout": "5" }, {})).toThrow(
      /--ping-timeout must be a duration/,
    );
    expect(() => resolveConfig({}, { RESTYLED_ENV: "p", PING_TIMEOUT: "10m" })).toThrow(
      /PING_TIMEOUT must be a duration/,
    );
  });

  it("fails on an unknown LOG_LEVEL", () => {
    expect(() => resolveConfig({ env: "p" }, { LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });
});
