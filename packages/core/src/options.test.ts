import { describe, expect, expectTypeOf, it } from "vitest";
import { ConfigError, UsageError } from "./errors.js";
import {
  boolean,
  boundedDuration,
  defineOptions,
  duration,
  environmentName,
  formatHelp,
  httpsUrl,
  integer,
  oneOf,
  parseOptions,
  parser,
  path,
  redisUrl,
  string,
} from "./options.js";

const TABLE = defineOptions([
  {
    key: "env",
    flag: "env",
    env: "RESTYLED_ENV",
    parse: environmentName,
    required: true,
    description: "environment name",
  },
  {
    key: "interval",
    flag: "interval",
    env: "INTERVAL",
    parse: duration,
    default: "30s",
    description: "how often",
  },
  {
    key: "dryRun",
    flag: "dry-run",
    env: "DRY_RUN",
    parse: boolean,
    default: "false",
    description: "change nothing",
  },
  {
    key: "hosts",
    flag: "host",
    short: "H",
    parse: string,
    metavar: "HOST",
    multiple: true,
    description: "host name",
  },
  {
    key: "out",
    flag: "out",
    short: "o",
    parse: path,
    default: "/certs",
    description: "output folder",
  },
  {
    key: "jobs",
    flag: "jobs",
    env: "JOBS",
    parse: integer({ min: 1, max: 10 }),
    description: "jobs per machine",
  },
  {
    key: "mode",
    flag: "mode",
    parse: oneOf(["fast", "safe"]),
    default: "safe",
    description: "how",
  },
  {
    key: "url",
    flag: "restyled-url",
    env: "RESTYLED_URL",
    parse: httpsUrl,
    default: "https://restyled.io",
    description: "restyled.io",
  },
  { key: "redis", flag: "redis-url", env: "REDIS_URL", parse: redisUrl, description: "Redis" },
  {
    key: "token",
    env: "RESTYLED_API_TOKEN",
    parse: string,
    secret: true,
    description: "API token",
  },
]);

const parse = (argv: string[], env: Record<string, string> = {}) =>
  parseOptions(TABLE, { argv, env: { RESTYLED_ENV: "prod", ...env } });

function failure(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

describe("parseOptions", () => {
  it("applies defaults and types every value", () => {
    const options = parse([]);
    expect(options).toEqual({
      positionals: [],
      env: "prod",
      interval: 30_000,
      dryRun: false,
      hosts: [],
      out: "/certs",
      jobs: undefined,
      mode: "safe",
      url: "https://restyled.io",
      redis: undefined,
      token: undefined,
    });
  });

  it("types each value from its row", () => {
    const options = parse([]);
    expectTypeOf(options.env).toEqualTypeOf<string>();
    expectTypeOf(options.interval).toEqualTypeOf<number>();
    expectTypeOf(options.dryRun).toEqualTypeOf<boolean>();
    expectTypeOf(options.hosts).toEqualTypeOf<string[]>();
    expectTypeOf(options.jobs).toEqualTypeOf<number | undefined>();
    expectTypeOf(options.mode).toEqualTypeOf<"fast" | "safe">();
    expectTypeOf(options.token).toEqualTypeOf<string | undefined>();
  });

  it("takes a flag over its variable and a variable over the default", () => {
    expect(parse(["--interval", "1m"], { INTERVAL: "5m" }).interval).toBe(60_000);
    expect(parse([], { INTERVAL: "5m" }).interval).toBe(300_000);
    expect(parse([], { INTERVAL: "" }).interval).toBe(30_000);
    expect(parse(["--interval=2m"]).interval).toBe(120_000);
  });

  it("reads switches, --flag=value, --no-flag and the boolean vocabulary in variables", () => {
    expect(parse(["--dry-run"]).dryRun).toBe(true);
    expect(parse(["--dry-run=no"]).dryRun).toBe(false);
    expect(parse(["--no-dry-run"], { DRY_RUN: "1" }).dryRun).toBe(false);
    for (const word of ["true", "1", "YES", "On"])
      expect(parse([], { DRY_RUN: word }).dryRun).toBe(true);
    for (const word of ["false", "0", "No", "OFF"])
      expect(parse([], { DRY_RUN: word }).dryRun).toBe(false);
  });

  it("collects repeated and short flags", () => {
    const options = parse(["-H", "a.example", "--host", "b.example", "-o/tmp/x"]);
    expect(options.hosts).toEqual(["a.example", "b.example"]);
    expect(options.out).toBe("/tmp/x");
  });

  it("reads a secret that has no flag from its variable only", () => {
    expect(parse([], { RESTYLED_API_TOKEN: "abc" }).token).toBe("abc");
  });

  it("fails with a UsageError naming the flag for a bad flag value", () => {
    const error = failure(() => parse(["--interval", "soon"]));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      '--interval: "soon" is not a duration (like 500ms, 90s, 15m, 1h30m or 2d; a bare number is seconds)',
    );
    expect(failure(() => parse(["--jobs", "11"])).message).toBe(
      '--jobs: "11" is not a whole number from 1 to 10',
    );
    expect(failure(() => parse(["--mode", "slow"])).message).toBe(
      '--mode: "slow" is not one of fast, safe',
    );
    expect(failure(() => parse(["--dry-run=maybe"])).message).toMatch(
      /^--dry-run: "maybe" is not a boolean/,
    );
  });

  it("fails with a ConfigError naming the variable for a bad variable", () => {
    const error = failure(() => parse([], { INTERVAL: "soon" }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^INTERVAL: "soon" is not a duration/);
    const bool = failure(() => parse([], { DRY_RUN: "maybe" }));
    expect(bool).toBeInstanceOf(ConfigError);
    expect(bool.message).toBe(
      'DRY_RUN: "maybe" is not a boolean (use true/false, 1/0, yes/no or on/off)',
    );
  });

  it("refuses an environment name the stacks would refuse", () => {
    const error = failure(() => parseOptions(TABLE, { argv: [], env: { RESTYLED_ENV: "Prod_1" } }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^RESTYLED_ENV: "Prod_1" is not an environment name/);
    expect(failure(() => parse(["--env", "Prod_1"]))).toBeInstanceOf(UsageError);
  });

  it("bounds a duration in the same grammar and words for every tool", () => {
    const positive = boundedDuration({ min: "1ms" });
    expect(positive("90s")).toBe(90_000);
    expect(() => positive("0")).toThrow('"0" is not a duration of at least 1ms');
    const roll = boundedDuration({ min: "1s", max: "1h" });
    expect(roll("10m")).toBe(600_000);
    expect(() => roll("2h")).toThrow('"2h" is not a duration from 1s to 1h');
    expect(() => roll("soon")).toThrow(/"soon" is not a duration \(like/);
    expect(roll.hint).toBe(duration.hint);
  });

  it("takes a tool's own parser made with parser(), naming the flag or variable", () => {
    const instanceId = parser("ID", (text) => {
      if (!/^i-[0-9a-f]{8,17}$/.test(text)) throw new Error(`"${text}" is not an instance id`);
      return text;
    });
    const table = defineOptions([
      { key: "id", flag: "instance-id", env: "INSTANCE_ID", parse: instanceId, description: "id" },
    ]);
    const read = (argv: string[], env: Record<string, string> = {}) =>
      parseOptions(table, { argv, env });
    expect(read(["--instance-id", "i-0123abcd"]).id).toBe("i-0123abcd");
    expect(failure(() => read(["--instance-id", "x"])).message).toBe(
      '--instance-id: "x" is not an instance id',
    );
    expect(failure(() => read([], { INSTANCE_ID: "x" }))).toBeInstanceOf(ConfigError);
    expect(formatHelp(table, { usage: "t" })).toContain("--instance-id ID");
  });

  it("names flag and variable of a missing required option", () => {
    const error = failure(() => parseOptions(TABLE, { argv: [], env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe("missing --env (or RESTYLED_ENV)");
  });

  it("refuses plain http to a non-loopback host and allows it to loopback", () => {
    const error = failure(() => parse(["--restyled-url", "http://restyled.example"]));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/^--restyled-url: "http:\/\/restyled.example" must use https/);
    expect(parse(["--restyled-url", "http://127.0.0.1:8080/"]).url).toBe("http://127.0.0.1:8080");
    expect(parse(["--restyled-url", "http://localhost:1"]).url).toBe("http://localhost:1");
  });

  it("never echoes a secret value in a message", () => {
    const redis = failure(() => parse([], { REDIS_URL: "http://u:hunter22@host" }));
    expect(redis).toBeInstanceOf(ConfigError);
    expect(redis.message).toBe("REDIS_URL: must start with redis:// or rediss:// (got http:)");
    const table = defineOptions([
      { key: "key", env: "API_KEY", parse: integer(), secret: true, description: "x" },
    ]);
    const error = failure(() => parseOptions(table, { argv: [], env: { API_KEY: "sekrit-1" } }));
    expect(error.message).not.toContain("sekrit-1");
  });

  it("says unknown option in one shape, for long and short flags", () => {
    const error = failure(() => parse(["--bogus"]));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe("unknown option '--bogus' (see --help)");
    expect(failure(() => parse(["-x"])).message).toBe("unknown option '-x' (see --help)");
    expect(failure(() => parse(["--bogus=1"])).message).toBe(
      "unknown option '--bogus' (see --help)",
    );
  });

  it("refuses a missing value, a repeated single flag and stray arguments", () => {
    expect(failure(() => parse(["--interval"])).message).toBe(
      "--interval needs a value (see --help)",
    );
    expect(failure(() => parse(["--out", "--dry-run"])).message).toBe(
      "--out needs a value (see --help)",
    );
    expect(failure(() => parse(["--jobs", "-1"])).message).toBe(
      '--jobs: "-1" is not a whole number from 1 to 10',
    );
    expect(failure(() => parse(["--out", "-H", "x"])).message).toBe(
      "--out needs a value (see --help)",
    );
    expect(failure(() => parse(["--out", "a", "--out", "b"])).message).toBe(
      "--out was given more than once",
    );
    expect(failure(() => parse(["verify"])).message).toBe(
      "unexpected argument 'verify' (see --help)",
    );
  });

  it("returns positionals when allowed, and everything after --", () => {
    const options = parseOptions(TABLE, {
      argv: ["verify", "-o", "/x", "--", "--not-a-flag"],
      env: { RESTYLED_ENV: "dev" },
      allowPositionals: true,
    });
    expect(options.positionals).toEqual(["verify", "--not-a-flag"]);
    expect(options.out).toBe("/x");
  });

  it("refuses a table that names a flag twice", () => {
    expect(() =>
      defineOptions([
        { key: "a", flag: "x", parse: string, description: "" },
        { key: "b", flag: "x", parse: string, description: "" },
      ]),
    ).toThrow("option table: --x appears twice");
  });
});

describe("formatHelp", () => {
  it("generates --help from the table", () => {
    const help = formatHelp(TABLE, {
      usage: "tool [options]",
      description: "Does a thing.",
      footer: "Exit codes: 0 done, 64 bad usage, 78 bad configuration.",
    });
    expect(help).toMatchInlineSnapshot(`
      "Usage: tool [options]

      Does a thing.

      Options:
            --env NAME                environment name [RESTYLED_ENV] (required)
            --interval DURATION       how often [INTERVAL] (default: 30s)
            --dry-run                 change nothing [DRY_RUN] (default: false)
        -H, --host HOST               host name (repeatable)
        -o, --out PATH                output folder (default: /certs)
            --jobs N                  jobs per machine [JOBS]
            --mode fast|safe          how (default: safe)
            --restyled-url URL        restyled.io [RESTYLED_URL] (default: https://restyled.io)
            --redis-url URL           Redis [REDIS_URL]
        -h, --help                    show this help
            --version                 show the version

      Environment:
        RESTYLED_API_TOKEN            API token

      Durations: like 500ms, 90s, 15m, 1h30m or 2d; a bare number is seconds.
      Booleans in variables: true/false, 1/0, yes/no, on/off.

      Exit codes: 0 done, 64 bad usage, 78 bad configuration.
      "
    `);
  });
});
