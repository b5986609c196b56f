import { ECSClient } from "@aws-sdk/client-ecs";
import { findFreePort, type RedisServer, startRedis } from "@restyled/testkit";
import { type HerokuApiStandIn, startHerokuApi } from "@restyled/testkit/heroku-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HELP, main } from "../src/cli.js";
import { runCheck } from "../src/lambda.js";
import { mockEcs, parameterArn, taskDefinition } from "./ecs-store.js";
import { captureOutput } from "./run-log.js";
import { mockSsmStore } from "./ssm-store.js";

// The CLI and the Lambda handler end to end. Real: redis-server, HTTP over
// loopback. Stand-ins: the Heroku Platform API (testkit) and SSM
// (aws-sdk-client-mock over an in-memory parameter store).
const API_KEY = "heroku-key-entry-4a4a4a4a";
const PASSWORD = "entry-redis-password-b0b0b0";
let heroku: HerokuApiStandIn;
let redis: RedisServer;
let store: ReturnType<typeof mockSsmStore> | undefined;
let runs = 0;

beforeAll(async () => {
  [heroku, redis] = await Promise.all([
    startHerokuApi({ token: API_KEY }),
    startRedis({ password: PASSWORD }),
  ]);
});
afterAll(async () => {
  await Promise.all([heroku?.close(), redis?.stop()]);
});
afterEach(() => store?.mock.restore());

function setUp(herokuUrl: string, storedUrl?: string) {
  runs += 1;
  const env = `e${runs}`;
  const app = `restyled-entry-${runs}`;
  heroku.apps[app] = { REDIS_URL: herokuUrl };
  store = mockSsmStore({
    [`/restyled/${env}/heroku-api-key`]: { value: API_KEY, type: "SecureString", version: 1 },
    ...(storedUrl
      ? { [`/restyled/${env}/redis-url`]: { value: storedUrl, type: "SecureString", version: 2 } }
      : {}),
  });
  const environment = {
    RESTYLED_ENV: env,
    HEROKU_APP: app,
    HEROKU_API_URL: heroku.url,
    AWS_REGION: "us-east-1",
    PING_TIMEOUT: "2s",
    SYNC_VARIABLES: "REDIS_URL=redis-url",
  };
  return { env, app, store, environment, parameter: `/restyled/${env}/redis-url` };
}

/** Runs the CLI with its own stdout and stderr; stderr's JSON lines are the log, the rest its messages. */
async function runCli(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const stderr: string[] = [];
  const capture = captureOutput();
  try {
    const code = await main(argv, {
      env,
      stdout: { write: (chunk: string) => out.push(chunk) },
      stderr: { write: (chunk: string) => stderr.push(chunk) },
    });
    const lines = stderr
      .join("")
      .split("\n")
      .filter((line) => line !== "");
    const err: string[] = [];
    const log: Array<Record<string, unknown>> = [];
    for (const line of lines) {
      if (line.startsWith("{")) log.push(JSON.parse(line));
      else err.push(line);
    }
    return { code, out, err, log, all: [...out, ...stderr, capture.all()].join("\n") };
  } finally {
    capture.restore();
  }
}

describe("check-redis-url (CLI)", () => {
  it("prints help and exits 0", async () => {
    const run = await runCli(["--help"], {});
    expect(run.code).toBe(0);
    expect(run.out.join("")).toBe(HELP);
    expect(HELP).toMatch(/^Usage: check-redis-url --env ENV/);
    expect(HELP).toContain("--sync VAR=PARAMETER");
    expect(HELP).toContain("[ECS_CLUSTER]");
  });

  it("prints the package's version", async () => {
    const { default: pkg } = await import("../package.json", { with: { type: "json" } });
    const run = await runCli(["--version"], {});
    expect(run.code).toBe(0);
    expect(run.out.join("")).toBe(`${pkg.version}\n`);
  });

  it("updates the parameter and prints the result as JSON", async () => {
    const t = setUp(redis.url, "redis://:stale-password-1234@127.0.0.1:1");
    const run = await runCli(["--env", t.env, "--app", t.app], {
      ...t.environment,
      RESTYLED_ENV: "",
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out.join(""))).toEqual({
      results: [
        {
          configVar: "REDIS_URL",
          parameter: t.parameter,
          result: "updated",
          version: 3,
          url: `redis://:[redacted]@127.0.0.1:${redis.port}`,
        },
      ],
      rolled: [],
      dryRun: false,
    });
    expect(t.store.parameters.get(t.parameter)?.value).toBe(redis.url);
    expect(run.log.every((record) => typeof record.time === "string")).toBe(true);
    for (const secret of [API_KEY, PASSWORD, "stale-password-1234"]) {
      expect(run.all).not.toContain(secret);
    }
  });

  it("writes nothing with --dry-run", async () => {
    const t = setUp(redis.url);
    const run = await runCli(["--env", t.env, "--dry-run"], t.environment);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out.join(""))).toMatchObject({
      results: [{ result: "created", version: null }],
      dryRun: true,
    });
    expect(t.store.puts()).toHaveLength(0);
  });

  it("exits 64 on a bad flag or argument and 78 on missing configuration", async () => {
    const unknown = await runCli(["--env", "prod", "--force"], {});
    expect(unknown.code).toBe(64);
    expect(unknown.err).toEqual(["check-redis-url: unknown option '--force' (see --help)"]);

    const positional = await runCli(["prod"], {});
    expect(positional.code).toBe(64);
    expect(positional.err[0]).toMatch(/^check-redis-url: unexpected argument 'prod'/);
    const badTimeout = await runCli(["--env", "prod", "--roll-timeout", "soon"], {});
    expect(badTimeout.code).toBe(64);
    expect(badTimeout.err[0]).toMatch(/^check-redis-url: --roll-timeout: "soon" is not a duration/);

    // The same bad duration in its variable is configuration (78), not usage.
    const badVariable = await runCli(["--env", "prod"], { ROLL_TIMEOUT: "soon" });
    expect(badVariable.code).toBe(78);
    expect(badVariable.err[0]).toMatch(/^check-redis-url: ROLL_TIMEOUT: "soon" is not a duration/);

    const missing = await runCli([], {});
    expect(missing.code).toBe(78);
    expect(missing.err).toEqual(["check-redis-url: missing --env (or RESTYLED_ENV)"]);
  });

  it("exits 1 when the new URL fails, with a one-line error free of secrets", async () => {
    const port = await findFreePort();
    const t = setUp(`rediss://:${PASSWORD}@127.0.0.1:${port}`, redis.url);
    const run = await runCli([], t.environment);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out.join(""))).toMatchObject({ results: [{ result: "failed" }] });
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(
      /^check-redis-url: rediss:\/\/:\[redacted\]@127\.0\.0\.1:\d+ did not answer PING: .*ECONNREFUSED/,
    );
    expect(t.store.puts()).toHaveLength(0);
    expect(run.all).not.toContain(PASSWORD);
    expect(run.all).not.toContain(API_KEY);
  });

  it("masks a secret that a third party echoes back into an error", async () => {
    const t = setUp(redis.url);
    heroku.injectFailure({
      status: 502,
      path: new RegExp(`/apps/${t.app}/`),
      body: JSON.stringify({ id: "bad_gateway", message: `upstream saw key ${API_KEY}` }),
    });
    const run = await runCli([], t.environment);
    expect(run.code).toBe(69);
    expect(run.err).toEqual([
      "check-redis-url: the Heroku API failed (502: upstream saw key [redacted]); try again later",
    ]);
    expect(run.all).not.toContain(API_KEY);
  });

  it("prints a scrubbed stack only with LOG_LEVEL=debug", async () => {
    const t = setUp(`redis://:${PASSWORD}@127.0.0.1:${await findFreePort()}`);
    const quiet = await runCli([], t.environment);
    expect(quiet.err).toHaveLength(1);
    const debug = await runCli([], { ...t.environment, LOG_LEVEL: "debug" });
    expect(debug.err.length).toBeGreaterThan(1);
    expect(debug.err.join("\n")).toMatch(/SyncFailedError: .*\n\s+at /);
    expect(debug.all).not.toContain(PASSWORD);
  });
});

describe("the Lambda handler (runCheck)", () => {
  async function invoke(env: Record<string, string>, ecs?: ECSClient) {
    const capture = captureOutput();
    try {
      const result = await runCheck({
        env,
        ecs,
        stream: { write: (chunk: string) => capture.writeLog(chunk.trimEnd()) },
        rollPollSeconds: 0.05,
      });
      return { result, log: capture.records(), all: capture.all() };
    } finally {
      capture.restore();
    }
  }

  it("returns {status, results, rolled} for a match and for an update", async () => {
    const same = setUp(redis.url, redis.url);
    const matched = await invoke(same.environment);
    expect(matched.result).toEqual({
      status: 200,
      results: [
        {
          configVar: "REDIS_URL",
          parameter: same.parameter,
          result: "matched",
          version: 2,
          url: `redis://:[redacted]@127.0.0.1:${redis.port}`,
        },
      ],
      rolled: [],
      dryRun: false,
    });

    const changed = setUp(redis.url, "redis://:old-lambda-password@127.0.0.1:1");
    const updated = await invoke(changed.environment);
    expect(updated.result).toMatchObject({
      status: 200,
      results: [{ result: "updated", version: 3 }],
    });
    expect(updated.all).not.toContain("old-lambda-password");
  });

  it("returns failed with a clear, secret-free error, logged at level error", async () => {
    const t = setUp(`redis://:${PASSWORD}@127.0.0.1:${await findFreePort()}`, "redis://h:1");
    const run = await invoke(t.environment);
    expect(run.result).toMatchObject({
      status: 500,
      results: [{ result: "failed", version: null }],
      rolled: [],
    });
    expect(run.result.error).toMatch(
      /^redis:\/\/:\[redacted\]@127\.0\.0\.1:\d+ did not answer PING/,
    );
    expect(run.log.at(-1)).toMatchObject({ level: "error", msg: "check-redis-url failed" });
    expect(run.all).not.toContain(PASSWORD);
    expect(t.store.parameters.get(t.parameter)?.value).toBe("redis://h:1");
  });

  it("fails when a rolled service never settles, logging the error line the alarm counts", async () => {
    const t = setUp(redis.url, "redis://:old-roll-password@127.0.0.1:1");
    const definition = taskDefinition("restyled-entry-webhooks", {
      REDIS_URL: parameterArn(t.parameter),
    });
    const ecs = mockEcs("restyled-entry", {
      services: [
        {
          name: "webhooks",
          taskDefinition: definition.taskDefinitionArn ?? "",
          rollout: "never-settles",
        },
      ],
      taskDefinitions: [definition],
    });
    try {
      const run = await invoke(
        { ...t.environment, ECS_CLUSTER: "restyled-entry", ROLL_TIMEOUT: "2s" },
        new ECSClient({ region: "us-east-1" }),
      );
      expect(run.result).toMatchObject({
        status: 500,
        results: [{ result: "updated", version: 3 }],
        rolled: [],
        error: expect.stringMatching(/^webhooks .* did not reach a steady state within 2s/),
      });
      expect(ecs.updates()).toHaveLength(1);
      expect(run.log.at(-1)).toMatchObject({ level: "error", msg: "check-redis-url failed" });
      expect(run.all).not.toContain("old-roll-password");
    } finally {
      ecs.restore();
    }
  });

  it("returns status 400 for a configuration problem", async () => {
    const run = await invoke({ RESTYLED_ENV: "prod", HEROKU_API_URL: "http://heroku.example:1" });
    expect(run.result).toEqual({ status: 400, error: expect.any(String) });
    expect(run.result.error).toMatch(/^HEROKU_API_URL: .*must use https/);
  });
});
