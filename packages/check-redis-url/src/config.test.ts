import { describe, expect, it } from "vitest";
import { resolveConfig } from "./config.js";
import { ConfigError, UsageError } from "./errors.js";

describe("resolveConfig", () => {
  it("derives everything from RESTYLED_ENV with safe defaults", () => {
    expect(resolveConfig({}, { RESTYLED_ENV: "prod" })).toEqual({
      env: "prod",
      app: "restyled-io",
      variables: [
        { configVar: "REDIS_URL", parameter: "/restyled/prod/redis-url" },
        { configVar: "DATABASE_URL", parameter: "/restyled/prod/database-url" },
      ],
      herokuApiKeyParameter: "/restyled/prod/heroku-api-key",
      herokuApiUrl: "https://api.heroku.com",
      redisTlsVerify: true,
      redisCaFile: undefined,
      postgresTlsVerify: true,
      postgresCaFile: undefined,
      pingTimeoutMs: 5_000,
      cluster: undefined,
      rollTimeoutMs: 600_000,
      dryRun: false,
      region: undefined,
      logLevel: "info",
    });
  });

  it("lets flags override environment variables", () => {
    const config = resolveConfig(
      { env: "staging", app: "restyled-staging", "dry-run": true, "ping-timeout": "750ms" },
      {
        RESTYLED_ENV: "prod",
        HEROKU_APP: "restyled-io",
        SYNC_VARIABLES: "REDIS_TLS_URL=redis-url, HEROKU_POSTGRESQL_RED_URL=/shared/db",
      },
    );
    expect(config).toMatchObject({
      env: "staging",
      app: "restyled-staging",
      variables: [
        { configVar: "REDIS_TLS_URL", parameter: "/restyled/staging/redis-url" },
        { configVar: "HEROKU_POSTGRESQL_RED_URL", parameter: "/shared/db" },
      ],
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
    expect(() => resolveConfig({}, { RESTYLED_ENV: "prod", SYNC_VARIABLES: "A-B=x" })).toThrow(
      new ConfigError(`SYNC_VARIABLES has "A-B", which is not a config var name`),
    );
    expect(() => resolveConfig({ env: "prod", sync: ["REDIS_URL=../x"] }, {})).toThrow(
      new UsageError(
        `--sync has "../x", which is neither a parameter key such as redis-url nor a path`,
      ),
    );
    expect(() => resolveConfig({ env: "prod", sync: ["REDIS_URL=/a//b"] }, {})).toThrow(
      /--sync has "\/a\/\/b", which is not an SSM parameter path/,
    );
  });

  it("takes --sync once per variable and refuses duplicates or an empty list", () => {
    expect(
      resolveConfig({ env: "p", sync: ["REDIS_URL=redis-url", "DATABASE_URL=db"] }, {}).variables,
    ).toEqual([
      { configVar: "REDIS_URL", parameter: "/restyled/p/redis-url" },
      { configVar: "DATABASE_URL", parameter: "/restyled/p/db" },
    ]);
    expect(() => resolveConfig({ env: "p", sync: ["A=x", "A=y"] }, {})).toThrow(
      new UsageError("--sync names A twice"),
    );
    expect(() => resolveConfig({ env: "p", sync: ["A=x", "B=x"] }, {})).toThrow(
      new UsageError("--sync writes /restyled/p/x twice"),
    );
    expect(() => resolveConfig({}, { RESTYLED_ENV: "p", SYNC_VARIABLES: " , " })).toThrow(
      new ConfigError("SYNC_VARIABLES names no variable (expected CONFIG_VAR=parameter,…)"),
    );
    expect(() => resolveConfig({ env: "p", sync: ["REDIS_URL"] }, {})).toThrow(
      /--sync has "REDIS_URL", expected CONFIG_VAR=parameter/,
    );
  });

  it("reads the cluster and a bounded roll timeout", () => {
    expect(
      resolveConfig({}, { RESTYLED_ENV: "p", ECS_CLUSTER: "restyled-p", ROLL_TIMEOUT: "90s" }),
    ).toMatchObject({ cluster: "restyled-p", rollTimeoutMs: 90_000 });
    expect(() => resolveConfig({ env: "p", "roll-timeout": "2h" }, {})).toThrow(UsageError);
    expect(() => resolveConfig({}, { RESTYLED_ENV: "p", ROLL_TIMEOUT: "0s" })).toThrow(
      new ConfigError(`ROLL_TIMEOUT must be a duration between 1s and 60m such as 10m (got "0s")`),
    );
    expect(() => resolveConfig({ env: "p", cluster: "has space" }, {})).toThrow(
      /--cluster must be an ECS cluster name or ARN/,
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
