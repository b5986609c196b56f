import { describe, expect, it } from "vitest";
import { readConfig } from "./config.js";
import { ConfigError } from "./errors.js";
import { DEFAULT_RECONCILE } from "./reconcile/settings.js";

const BASE = { RESTYLED_ENV: "prod", MACHINES_GROUP_NAME: "restyled-machines-prod" };

describe("readConfig", () => {
  it("applies the documented defaults", () => {
    expect(readConfig(BASE)).toEqual({
      environment: "prod",
      redisUrl: undefined,
      redisInsecureTls: false,
      queues: [{ name: "restyled:hooks:webhooks", weight: 1 }],
      groupName: "restyled-machines-prod",
      restyledUrl: undefined,
      restyledToken: undefined,
      reconcile: DEFAULT_RECONCILE,
      webhooks: undefined,
      jobsPerMachine: 3,
      tasksPerMachine: 3,
      scaleInStabilizationMs: 180_000,
      bootDelayMs: 180_000,
      expectedJobDurationMs: 60_000,
      warmStartMs: 60_000,
      warmScaleInStabilizationMs: 60_000,
      warmPoolSizing: { windowMs: 86_400_000, headroom: 2 },
      dryRun: false,
    });
  });

  it("reads the warm pool sizing, turns it off, and refuses what it cannot keep", () => {
    expect(
      readConfig({ ...BASE, WARM_POOL_PEAK_WINDOW: "12h", WARM_POOL_HEADROOM: "0" }),
    ).toMatchObject({ warmPoolSizing: { windowMs: 43_200_000, headroom: 0 } });
    expect(readConfig(BASE, ["--warm-pool-sizing", "aws-default"])).toMatchObject({
      warmPoolSizing: null,
    });
    expect(() => readConfig({ ...BASE, WARM_POOL_SIZING: "small" })).toThrow(
      /^WARM_POOL_SIZING: "small" must be peak or aws-default/,
    );
    // The hourly peaks live in one tag value: at most 48 of them.
    expect(() => readConfig({ ...BASE, WARM_POOL_PEAK_WINDOW: "3d" })).toThrow(
      /^WARM_POOL_PEAK_WINDOW: "3d" must be between 1h and 48h/,
    );
    expect(() => readConfig(BASE, ["--warm-pool-headroom", "-1"])).toThrow(/--warm-pool-headroom/);
  });

  it("reads the warm start, and the warm scale-in window follows it unless set", () => {
    expect(readConfig({ ...BASE, WARM_START: "90s" })).toMatchObject({
      warmStartMs: 90_000,
      warmScaleInStabilizationMs: 90_000,
    });
    expect(
      readConfig({ ...BASE, WARM_START: "90s" }, ["--warm-scale-in-stabilization", "3m"]),
    ).toMatchObject({ warmStartMs: 90_000, warmScaleInStabilizationMs: 180_000 });
    expect(() => readConfig({ ...BASE, WARM_START: "soon" })).toThrow(/^WARM_START: "soon"/);
  });

  it("reads every variable", () => {
    const config = readConfig({
      ...BASE,
      REDIS_URL: "rediss://:pw@redis.example:6380",
      REDIS_TLS_INSECURE: "1",
      RESTYLER_QUEUES: "restyled:agent:webhooks/2,restyled:hooks:webhooks",
      RESTYLED_URL: "https://restyled.io/",
      RESTYLED_API_TOKEN: "t0ken",
      WEBHOOKS_CLUSTER: "restyled-prod",
      WEBHOOKS_SERVICE: "Webhooks",
      JOBS_PER_MACHINE: "4",
      SCALE_IN_STABILIZATION: "15m",
      BOOT_DELAY: "4m30s",
      EXPECTED_JOB_DURATION: "90s",
    });
    expect(config).toMatchObject({
      redisInsecureTls: true,
      queues: [
        { name: "restyled:agent:webhooks", weight: 2 },
        { name: "restyled:hooks:webhooks", weight: 1 },
      ],
      restyledUrl: "https://restyled.io",
      restyledToken: "t0ken",
      webhooks: { cluster: "restyled-prod", service: "Webhooks" },
      jobsPerMachine: 4,
      tasksPerMachine: 4,
      scaleInStabilizationMs: 900_000,
      bootDelayMs: 270_000,
      expectedJobDurationMs: 90_000,
    });
  });

  it("takes a zero boot delay, which sizes for every job at once", () => {
    expect(readConfig({ ...BASE, BOOT_DELAY: "0s" }).bootDelayMs).toBe(0);
    expect(readConfig(BASE, ["--boot-delay", "2m"]).bootDelayMs).toBe(120_000);
    expect(readConfig(BASE, ["--expected-job-duration", "45s"]).expectedJobDurationMs).toBe(45_000);
  });

  it("lets flags win over variables", () => {
    const config = readConfig({ ...BASE, JOBS_PER_MACHINE: "4" }, [
      "--env",
      "staging",
      "--group",
      "g",
      "--jobs-per-machine",
      "2",
      "--dry-run",
    ]);
    expect(config).toMatchObject({
      environment: "staging",
      groupName: "g",
      jobsPerMachine: 2,
      dryRun: true,
    });
  });

  it.each([
    [{ MACHINES_GROUP_NAME: "g" }, /^missing --env \(or RESTYLED_ENV\)$/],
    [{ RESTYLED_ENV: "prod" }, /^missing --group \(or MACHINES_GROUP_NAME\)$/],
    [
      { ...BASE, RESTYLED_ENV: "prod/../x" },
      /RESTYLED_ENV: "prod\/\.\.\/x" is not an environment name/,
    ],
    [
      { ...BASE, JOBS_PER_MACHINE: "0" },
      /^JOBS_PER_MACHINE: "0" is not a whole number of at least 1$/,
    ],
    [{ ...BASE, RESTYLED_ENV: "Prod_1" }, /^RESTYLED_ENV: "Prod_1" is not an environment name/],
    [{ ...BASE, REDIS_TLS_INSECURE: "maybe" }, /^REDIS_TLS_INSECURE: "maybe" is not a boolean/],
    [{ ...BASE, JOBS_PER_MACHINE: "three" }, /JOBS_PER_MACHINE: "three"/],
    [
      { ...BASE, SCALE_IN_STABILIZATION: "10 min" },
      /^SCALE_IN_STABILIZATION: "10 min" is not a duration/,
    ],
    [{ ...BASE, BOOT_GRACE: "0s" }, /^BOOT_GRACE: "0s" must be above 0$/],
    [{ ...BASE, BOOT_DELAY: "-3m" }, /^BOOT_DELAY: "-3m" is not a duration/],
    [
      { ...BASE, EXPECTED_JOB_DURATION: "soon" },
      /^EXPECTED_JOB_DURATION: "soon" is not a duration/,
    ],
    [{ ...BASE, EXPECTED_JOB_DURATION: "0s" }, /^EXPECTED_JOB_DURATION: "0s" must be at least 1s$/],
    [
      { ...BASE, EXPECTED_JOB_DURATION: "500ms" },
      /^EXPECTED_JOB_DURATION: "500ms" must be at least 1s$/,
    ],
    [{ ...BASE, RESTYLER_QUEUES: "a,,b" }, /^RESTYLER_QUEUES: entry 2 is empty/],
    [{ ...BASE, RESTYLED_URL: "restyled.io" }, /^RESTYLED_URL: is not a URL/],
    [{ ...BASE, RESTYLED_URL: "ftp://restyled.io" }, /^RESTYLED_URL: "ftp:" is not https/],
    [
      { ...BASE, RESTYLED_URL: "http://restyled.io" },
      /^RESTYLED_URL: "http:\/\/restyled.io" must use https: plain http is allowed only to loopback \(it would send credentials in the clear\)$/,
    ],
    [
      { ...BASE, RESTYLED_URL: "http://127.0.0.1.evil.example:8080" },
      /plain http is allowed only to loopback/,
    ],
    [{ ...BASE, RESTYLED_URL: "http://10.0.0.5" }, /plain http is allowed only to loopback/],
    [
      { ...BASE, WEBHOOKS_CLUSTER: "c" },
      /WEBHOOKS_CLUSTER and WEBHOOKS_SERVICE .* set both or neither/,
    ],
    [
      { ...BASE, REDIS_URL: "http://h:6379" },
      /^REDIS_URL: must start with redis:\/\/ or rediss:\/\//,
    ],
  ])("rejects %j naming the variable", (env, message) => {
    expect(() => readConfig(env)).toThrowError(ConfigError);
    expect(() => readConfig(env)).toThrowError(message);
  });

  it.each(["http://127.0.0.1:8080", "http://localhost:3000/", "http://[::1]:4000"])(
    "accepts plain http only to loopback: %s",
    (url) => {
      expect(readConfig({ ...BASE, RESTYLED_URL: url }).restyledUrl).toBe(url.replace(/\/$/, ""));
    },
  );

  it("never echoes a malformed Redis URL, which may hold the password", () => {
    expect(() => readConfig({ ...BASE, REDIS_URL: "not a url with s3cret" })).toThrowError(
      /^REDIS_URL: is not a URL \(expected redis:\/\/ or rediss:\/\/\)$/,
    );
  });

  it("names the flag when a bad expected job duration came from a flag", () => {
    expect(() => readConfig(BASE, ["--expected-job-duration", "0m"])).toThrowError(
      /^--expected-job-duration: "0m" must be at least 1s$/,
    );
  });

  it("names the flag when the bad value came from a flag", () => {
    expect(() => readConfig(BASE, ["--scale-in-stabilization", "soon"])).toThrowError(
      /^--scale-in-stabilization: "soon"/,
    );
  });
});
