// Real: redis-server (testkit). Stand-ins: AWS (aws-sdk-client-mock).
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SetDesiredCapacityCommand } from "@aws-sdk/client-auto-scaling";
import { createLogger } from "@restyled/core/logger";
import { findFreePort } from "@restyled/testkit";
import { createClient } from "redis";
import { describe, expect, inject, it } from "vitest";
import { AutoscaleRunError, ConfigError } from "../src/errors.js";
import { createHandler } from "../src/lambda.js";
import { mockAws, uniqueName } from "./harness.js";

const redisUrl = inject("redisUrl");
const run = promisify(execFile);

describe("the Lambda handler", () => {
  it("returns the decision record and logs it as one JSON line", async () => {
    const aws = mockAws();
    const queue = uniqueName("test:lambda");
    const group = uniqueName("machines");
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    // 13 jobs: one more than the machine in service gets going within the default 3m boot.
    await redis.lPush(
      queue,
      Array.from({ length: 13 }, (_, i) => `job-${i}`),
    );
    await redis.close();
    aws.group({ name: group, desired: 1 });
    const lines: string[] = [];
    const handler = createHandler({
      env: {
        RESTYLED_ENV: "test",
        REDIS_URL: redisUrl,
        RESTYLER_QUEUES: queue,
        MACHINES_GROUP_NAME: group,
      },
      clients: aws.clients,
      logger: createLogger({
        name: "test",
        level: "info",
        stream: { write: (line: string) => lines.push(line.trimEnd()) > 0 },
      }),
    });
    const record = await handler();
    expect(record).toMatchObject({ action: "scale-out", desired: 2, applied: true });
    expect(aws.mocks.autoScaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(1);
    const logged = JSON.parse(lines.at(-1)!);
    expect(logged).toMatchObject({
      level: "info",
      msg: "autoscale decision",
      record: { desired: 2 },
    });
  });

  it("fails the invocation when the run fails, with the record attached and no scaling", async () => {
    const aws = mockAws();
    const group = uniqueName("machines");
    aws.group({ name: group, desired: 1 });
    const lines: string[] = [];
    const handler = createHandler({
      env: {
        RESTYLED_ENV: "test",
        REDIS_URL: "redis://:pa55word@127.0.0.1:9",
        MACHINES_GROUP_NAME: group,
      },
      clients: aws.clients,
      logger: createLogger({
        name: "test",
        level: "info",
        stream: { write: (line: string) => lines.push(line.trimEnd()) > 0 },
      }),
    });
    const error = await handler().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutoscaleRunError);
    expect((error as AutoscaleRunError).message).toMatch(
      /no scaling action: could not read queue depth: Redis at /,
    );
    expect((error as AutoscaleRunError).record).toMatchObject({ action: "none", applied: false });
    expect(aws.writes()).toHaveLength(0);
    expect(lines.join("\n")).not.toContain("pa55word");
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      level: "error",
      msg: "autoscale run failed",
    });
  });

  it("fails on a missing variable before touching anything", async () => {
    const aws = mockAws();
    const handler = createHandler({ env: { RESTYLED_ENV: "test" }, clients: aws.clients });
    await expect(handler()).rejects.toThrowError(ConfigError);
    await expect(handler()).rejects.toThrowError("missing --group (or MACHINES_GROUP_NAME)");
    expect(aws.writes()).toHaveLength(0);
  });
});

describe("the bundled dist/lambda.zip", () => {
  const bundle = fileURLToPath(new URL("../dist/lambda/index.mjs", import.meta.url));
  const zip = fileURLToPath(new URL("../dist/lambda.zip", import.meta.url));

  it("holds index.mjs exporting handler, with every dependency inside", async () => {
    expect(existsSync(zip), "run the build first: pnpm --filter @restyled/autoscale build").toBe(
      true,
    );
    expect(readFileSync(zip).includes(Buffer.from("index.mjs"))).toBe(true);
    const source = readFileSync(bundle, "utf8");
    // Nothing left to resolve from node_modules at run time: only Node built-ins, plus
    // optional packages the bundled libraries load lazily for features not used here
    // (SigV4a multi-region signing in the AWS SDK, node-redis's digest helper).
    const imported = [
      ...source.matchAll(/\bfrom\s*["']([^"']+)["']/g),
      ...source.matchAll(/\bimport\s*\(\s*["']([^"']+)["']/g),
      ...source.matchAll(/\brequire\(\s*["']([^"']+)["']/g),
    ].map((m) => m[1]!);
    expect(imported).toContain("node:module");
    const external = imported.filter(
      (name) => !builtinModules.includes(name.replace(/^node:/, "")),
    );
    expect(new Set(external)).toEqual(
      new Set(["@node-rs/xxhash", "@aws-sdk/signature-v4-crt", "@aws-sdk/signature-v4a"]),
    );
  });

  it("runs in a plain node process and fails the invocation when Redis and AWS are unreachable", async () => {
    const awsPort = await findFreePort();
    const script = `import("${bundle}").then(({ handler }) => handler()).then(
      () => { console.log("resolved"); },
      (error) => { console.log(JSON.stringify({ name: error.name, message: error.message })); })`;
    const { stdout } = await run(process.execPath, ["-e", script], {
      env: {
        PATH: process.env.PATH,
        RESTYLED_ENV: "test",
        REDIS_URL: "redis://127.0.0.1:9",
        MACHINES_GROUP_NAME: "machines-bundle-test",
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "AKIDTEST",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_ENDPOINT_URL: `http://127.0.0.1:${awsPort}`,
        AWS_MAX_ATTEMPTS: "1",
        LOG_LEVEL: "error",
      },
      timeout: 30_000,
    });
    const outcome = JSON.parse(stdout.trim().split("\n").at(-1)!);
    expect(outcome.name).toBe("AutoscaleRunError");
    expect(outcome.message).toMatch(/could not read queue depth: Redis at .* did not answer/);
    expect(outcome.message).toMatch(/DescribeAutoScalingGroups machines-bundle-test failed/);
  });
});
