import { describe, expect, it } from "vitest";
import { type AgentConfig, readConfig } from "./config.js";
import { ConfigError, UsageError } from "./errors.js";
import { helpText, OPTION_SPECS } from "./options.js";

function read(argv: string[], env: Record<string, string> = {}): AgentConfig {
  const result = readConfig(argv, { RESTYLED_ENV: "test", ...env });
  if (result.help) throw new Error("unexpected help");
  return result.config;
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

  it("answers --help without needing any configuration", () => {
    expect(readConfig(["--help"], {})).toEqual({ help: true });
    expect(readConfig(["-h"], {})).toEqual({ help: true });
  });

  it.each([
    [["--bogus"], "Unknown option '--bogus'"],
    [["extra"], "Unexpected argument 'extra'"],
    [["--drain-timeout"], "--drain-timeout"],
  ])("rejects the command line %j as a usage error", (argv, message) => {
    const error = failure(argv, { RESTYLED_ENV: "test" });
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain(message);
  });

  it.each<[string, string[], Record<string, string>, string]>([
    ["no environment", [], { RESTYLED_ENV: "" }, "--env (RESTYLED_ENV) is required"],
    ["a bad environment name", ["--env", "prod/x"], {}, "must be letters, digits and dashes"],
    ["a bad duration", [], { DRAIN_TIMEOUT: "soon" }, 'DRAIN_TIMEOUT: "soon" is not a duration'],
    [
      "a zero drain timeout",
      ["--drain-timeout", "0"],
      {},
      "--drain-timeout (DRAIN_TIMEOUT) must be longer than 0",
    ],
    ["a zero heartbeat", [], { HEARTBEAT_INTERVAL: "0s" }, "must be longer than 0"],
    [
      "a unix Docker host",
      [],
      { DOCKER_HOST: "unix:///var/run/docker.sock" },
      "must be tcp://HOST:PORT",
    ],
    ["a Docker host without port", ["--docker-host", "tcp://h"], {}, "must be tcp://HOST:PORT"],
    ["plain http to restyled.io", [], { RESTYLED_URL: "http://restyled.io" }, "must use https"],
    [
      "a URL with credentials",
      [],
      { RESTYLED_URL: "https://u:p@restyled.io" },
      "credentials do not belong",
    ],
    ["a queue URL that is no URL", ["--queue-url", "queue"], {}, '"queue" is not a URL'],
    ["a bad instance id", ["--instance-id", "web-1"], {}, "is not an EC2 instance id"],
    ["a bad hostname", ["--public-hostname", "a b"], {}, "is not a host name"],
    ["a bad region", ["--region", "mars"], {}, "is not an AWS region"],
    ["zero attempts", [], { RETRY_ATTEMPTS: "0" }, "must be 1 to 100"],
    ["a bad log level", [], { LOG_LEVEL: "loud" }, "LOG_LEVEL"],
  ])("rejects %s naming the flag or variable", (_name, argv, env, message) => {
    const error = failure(argv, { RESTYLED_ENV: "test", ...env });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(message);
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
    expect(Object.values(OPTION_SPECS).map((s) => s.flag)).not.toContain("restyled-api-token");
    expect(failure(["--restyled-api-token", "x"], { RESTYLED_ENV: "t" })).toBeInstanceOf(
      UsageError,
    );
  });
});

describe("helpText", () => {
  it("lists every flag with its variable and default", () => {
    const help = helpText();
    for (const spec of Object.values(OPTION_SPECS)) {
      expect(help).toContain(`--${spec.flag}`);
      if ("env" in spec) expect(help).toContain(`[${spec.env}]`);
    }
    expect(help).toContain("(default: 15m)");
    expect(help).toContain("Exit codes");
  });
});
