import { ConfigError, UsageError } from "@restyled/core/errors";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "./config.js";

describe("resolveConfig", () => {
  it("derives everything from RESTYLED_ENV with safe defaults", () => {
    expect(resolveConfig([], { RESTYLED_ENV: "prod" })).toEqual({
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
    });
  });

  it("lets flags override environment variables", () => {
    const config = resolveConfig(
      ["--env", "staging", "--app", "restyled-staging", "--dry-run", "--ping-timeout", "750ms"],
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
    expect(() => resolveConfig([], {})).toThrow(new ConfigError("missing --env (or RESTYLED_ENV)"));
    expect(() => resolveConfig(["--env", "../prod"], {})).toThrow(UsageError);
    expect(() => resolveConfig([], { RESTYLED_ENV: "Prod!" })).toThrow(ConfigError);
    expect(() => resolveConfig(["--env", "prod", "--force"], {})).toThrow(
      new UsageError("unknown option '--force' (see --help)"),
    );
  });

  it("rejects app, config var and parameter names that could escape their path", () => {
    expect(() => resolveConfig(["--env", "prod", "--app", "a/../b"], {})).toThrow(
      /^--app: "a\/\.\.\/b" is not a Heroku app name or id$/,
    );
    expect(() => resolveConfig([], { RESTYLED_ENV: "prod", SYNC_VARIABLES: "A-B=x" })).toThrow(
      new ConfigError(`SYNC_VARIABLES: "A-B" is not a config var name`),
    );
    expect(() => resolveConfig(["--env", "prod", "--sync", "REDIS_URL=../x"], {})).toThrow(
      new UsageError(`--sync: "../x" is neither a parameter key such as redis-url nor a path`),
    );
    expect(() => resolveConfig(["--env", "prod", "--sync", "REDIS_URL=/a//b"], {})).toThrow(
      new UsageError(`--sync: "/a//b" is not an SSM parameter path`),
    );
    expect(() =>
      resolveConfig(["--env", "prod", "--heroku-api-key-parameter", "relative"], {}),
    ).toThrow(/--heroku-api-key-parameter: "relative" is not an SSM parameter path/);
  });

  it("takes --sync once per variable and refuses duplicates", () => {
    expect(
      resolveConfig(
        ["--env", "p", "--sync", "REDIS_URL=redis-url", "--sync", "DATABASE_URL=db"],
        {},
      ).variables,
    ).toEqual([
      { configVar: "REDIS_URL", parameter: "/restyled/p/redis-url" },
      { configVar: "DATABASE_URL", parameter: "/restyled/p/db" },
    ]);
    expect(() => resolveConfig(["--env", "p", "--sync", "A=x", "--sync", "A=y"], {})).toThrow(
      new UsageError("--sync: names A twice"),
    );
    expect(() => resolveConfig([], { RESTYLED_ENV: "p", SYNC_VARIABLES: "A=x,B=x" })).toThrow(
      new ConfigError("SYNC_VARIABLES: writes /restyled/p/x twice"),
    );
    expect(() => resolveConfig(["--env", "p", "--sync", "REDIS_URL"], {})).toThrow(
      /^--sync: "REDIS_URL" is not CONFIG_VAR=parameter/,
    );
  });

  it("refuses a plain http Heroku API unless it is loopback, and credentials in it", () => {
    expect(() =>
      resolveConfig([], { RESTYLED_ENV: "p", HEROKU_API_URL: "http://h.example:9/" }),
    ).toThrow(/^HEROKU_API_URL: .*must use https/);
    expect(
      resolveConfig([], { RESTYLED_ENV: "p", HEROKU_API_URL: "http://127.0.0.1:9/" }).herokuApiUrl,
    ).toBe("http://127.0.0.1:9");
    const withKey = () =>
      resolveConfig(["--env", "p", "--heroku-api-url", "https://u:topsecret@h"], {});
    expect(withKey).toThrow(/must not carry credentials/);
    expect(withKey).not.toThrow(/topsecret/);
  });

  it("turns TLS verification off only when asked", () => {
    expect(resolveConfig([], { RESTYLED_ENV: "p", REDIS_TLS_INSECURE: "1" }).redisTlsVerify).toBe(
      false,
    );
    expect(resolveConfig(["--env", "p", "--insecure-skip-tls-verify"], {}).redisTlsVerify).toBe(
      false,
    );
    expect(
      resolveConfig(["--env", "p", "--postgres-insecure-skip-tls-verify"], {}).postgresTlsVerify,
    ).toBe(false);
    expect(() => resolveConfig([], { RESTYLED_ENV: "p", REDIS_TLS_INSECURE: "maybe" })).toThrow(
      new ConfigError(
        `REDIS_TLS_INSECURE: "maybe" is not a boolean (use true/false, 1/0, yes/no or on/off)`,
      ),
    );
  });

  it("bounds the ping and roll timeouts, naming the flag (64) or the variable (78)", () => {
    expect(resolveConfig(["--env", "p", "--ping-timeout", "5"], {}).pingTimeoutMs).toBe(5_000);
    expect(() => resolveConfig(["--env", "p", "--ping-timeout", "soon"], {})).toThrow(
      /^--ping-timeout: "soon" is not a duration/,
    );
    expect(() => resolveConfig([], { RESTYLED_ENV: "p", PING_TIMEOUT: "10m" })).toThrow(
      new ConfigError(`PING_TIMEOUT: "10m" is not a duration from 1ms to 5m`),
    );
    expect(
      resolveConfig([], { RESTYLED_ENV: "p", ECS_CLUSTER: "restyled-p", ROLL_TIMEOUT: "90s" }),
    ).toMatchObject({ cluster: "restyled-p", rollTimeoutMs: 90_000 });
    expect(() => resolveConfig(["--env", "p", "--roll-timeout", "2h"], {})).toThrow(
      new UsageError(`--roll-timeout: "2h" is not a duration from 1s to 1h`),
    );
    expect(() => resolveConfig(["--env", "p", "--cluster", "has space"], {})).toThrow(
      /--cluster: "has space" is not an ECS cluster name or ARN/,
    );
  });
});
