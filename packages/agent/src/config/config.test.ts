import { describe, expect, it } from "vitest";
import { ConfigError, UsageError } from "../errors.js";
import { type AgentConfig, readConfig } from "./config.js";
import { helpText, OPTIONS } from "./options.js";

function read(argv: string[], env: Record<string, string> = {}): AgentConfig {
  return readConfig(argv, { RESTYLED_ENV: "test", ...env });
}

function failure(argv: string[], env: Record<string, string> = {}): Error {
  try {
    readConfig(argv, env);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected readConfig to fail");
}

describe("readConfig", () => {
  it("applies the documented defaults", () => {
    const config = read([]);
    expect(config).toMatchObject({
      env: "test",
      queueUrl: undefined,
      certPath: "/etc/docker/certs/client",
      dockerHost: undefined,
      restyledUrl: "https://restyled.io",
      restyledToken: undefined,
      drainTimeoutMs: 15 * 60_000,
      drainSettleMs: 5_000,
      heartbeatIntervalMs: undefined,
      relistIntervalMs: 30_000,
      daemonCheckIntervalMs: 15_000,
      retryAttempts: 5,
      pruneIntervalMs: 24 * 3_600_000,
      tempMaxAgeMs: 12 * 3_600_000,
      logLevel: "info",
    });
  });

  it("takes flags over environment variables", () => {
    const config = read(["--drain-timeout", "2m", "--env", "prod"], {
      DRAIN_TIMEOUT: "5m",
      RESTYLED_ENV: "staging",
    });
    expect(config.drainTimeoutMs).toBe(120_000);
    expect(config.env).toBe("prod");
  });

  it("reads every documented variable", () => {
    const config = read([], {
      AGENT_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/restyled-machines",
      DOCKER_CERT_PATH: "/certs",
      DOCKER_HOST: "tcp://ec2-1-2-3-4.compute-1.amazonaws.com:2376",
      RESTYLED_URL: "https://staging.restyled.io/",
      RESTYLED_API_TOKEN: "t0ken",
      HEARTBEAT_INTERVAL: "90s",
      AWS_REGION: "us-east-1",
      LOG_LEVEL: "DEBUG",
    });
    expect(config).toMatchObject({
      queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/restyled-machines",
      certPath: "/certs",
      dockerHost: "tcp://ec2-1-2-3-4.compute-1.amazonaws.com:2376",
      restyledUrl: "https://staging.restyled.io",
      restyledToken: "t0ken",
      heartbeatIntervalMs: 90_000,
      region: "us-east-1",
      logLevel: "debug",
    });
  });

  it.each([
    [["--bogus"], "unknown option '--bogus' (see --help)"],
    [["extra"], "unexpected argument 'extra' (see --help)"],
    [["--drain-timeout"], "--drain-timeout needs a value (see --help)"],
  ])("rejects the command line %j as a usage error", (argv, message) => {
    const error = failure(argv, { RESTYLED_ENV: "test" });
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(message);
  });

  // A bad flag is a usage error (64) naming the flag; a bad variable a
  // configuration error (78) naming the variable.
  it.each<[string, string[], Record<string, string>, typeof UsageError, string]>([
    ["no environment", [], { RESTYLED_ENV: "" }, ConfigError, "missing --env (or RESTYLED_ENV)"],
    [
      "a bad environment name",
      ["--env", "prod/x"],
      {},
      UsageError,
      '--env: "prod/x" is not an environment name',
    ],
    [
      "an environment name no stack could take",
      [],
      { RESTYLED_ENV: "Prod_1" },
      ConfigError,
      'RESTYLED_ENV: "Prod_1" is not an environment name',
    ],
    [
      "a bad duration",
      [],
      { DRAIN_TIMEOUT: "soon" },
      ConfigError,
      'DRAIN_TIMEOUT: "soon" is not a duration',
    ],
    [
      "a bad duration flag",
      ["--drain-settle", "soon"],
      {},
      UsageError,
      '--drain-settle: "soon" is not a duration',
    ],
    [
      "a zero drain timeout",
      ["--drain-timeout", "0"],
      {},
      UsageError,
      "--drain-timeout: must be longer than 0",
    ],
    [
      "a zero heartbeat",
      [],
      { HEARTBEAT_INTERVAL: "0s" },
      ConfigError,
      "HEARTBEAT_INTERVAL: must be longer than 0",
    ],
    [
      "a unix Docker host",
      [],
      { DOCKER_HOST: "unix:///var/run/docker.sock" },
      ConfigError,
      "must be tcp://HOST:PORT",
    ],
    [
      "a Docker host without port",
      ["--docker-host", "tcp://h"],
      {},
      UsageError,
      "must be tcp://HOST:PORT",
    ],
    [
      "plain http to restyled.io",
      [],
      { RESTYLED_URL: "http://restyled.io" },
      ConfigError,
      "must use https",
    ],
    [
      "a URL with credentials",
      [],
      { RESTYLED_URL: "https://u:p@restyled.io" },
      ConfigError,
      "must not carry credentials",
    ],
    ["a queue URL that is no URL", ["--queue-url", "queue"], {}, UsageError, "is not a URL"],
    ["a bad instance id", ["--instance-id", "web-1"], {}, UsageError, "is not an EC2 instance id"],
    ["a bad hostname", ["--public-hostname", "a b"], {}, UsageError, "is not a host name"],
    ["a bad region", ["--region", "mars"], {}, UsageError, "is not an AWS region"],
    [
      "zero attempts",
      [],
      { RETRY_ATTEMPTS: "0" },
      ConfigError,
      'RETRY_ATTEMPTS: "0" is not a whole number from 1 to 100',
    ],
    ["a bad log level", [], { LOG_LEVEL: "loud" }, ConfigError, "LOG_LEVEL"],
  ])("rejects %s naming the flag or variable", (_name, argv, env, kind, message) => {
    const error = failure(argv, { RESTYLED_ENV: "test", ...env });
    expect(error).toBeInstanceOf(kind);
    expect(error.message).toContain(message);
  });

  it("never echoes a URL's password in its error", () => {
    const error = failure([], {
      RESTYLED_ENV: "test",
      RESTYLED_URL: "https://u:hunter2@restyled.io",
    });
    expect(error.message).not.toContain("hunter2");
  });

  it("allows plain http only on loopback (stand-ins, emulators)", () => {
    expect(read(["--restyled-url", "http://127.0.0.1:8080"]).restyledUrl).toBe(
      "http://127.0.0.1:8080",
    );
    expect(read(["--queue-url", "http://sqs.us-east-1.localhost:4566/1/q"]).queueUrl).toBe(
      "http://sqs.us-east-1.localhost:4566/1/q",
    );
  });

  it("never puts the token on the command line", () => {
    expect(OPTIONS.map((row) => ("flag" in row ? row.flag : undefined))).not.toContain(
      "restyled-api-token",
    );
    expect(failure(["--restyled-api-token", "x"], { RESTYLED_ENV: "t" })).toBeInstanceOf(
      UsageError,
    );
  });
});

describe("helpText", () => {
  it("lists every flag with its variable and default", () => {
    const help = helpText();
    for (const row of OPTIONS) {
      if ("flag" in row) expect(help).toContain(`--${row.flag}`);
      if ("env" in row) expect(help).toContain(row.env);
    }
    expect(help).toContain("15m");
    expect(help).toContain("Exit codes");
  });
});
