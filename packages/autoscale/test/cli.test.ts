// Real: redis-server (testkit), files in a temporary directory. Stand-ins: AWS (aws-sdk-client-mock).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@restyled/core/logger";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { main } from "../src/cli.js";
import { runCommand } from "../src/cli-run.js";
import type { Output } from "../src/output.js";
import { parseTrace } from "../src/simulate/trace.js";
import { mockAws, uniqueName } from "./harness.js";

const redisUrl = inject("redisUrl");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autoscale-cli-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe("restyled-autoscale (usage and configuration errors)", () => {
  it("prints help with every option and exits 0", async () => {
    const io = capture();
    expect(await main(["--help"], io)).toBe(0);
    const help = io.stdout.join("");
    for (const flag of ["--once", "--interval", "--dry-run", "--group", "--queues", "simulate"]) {
      expect(help).toContain(flag);
    }
  });

  it.each([
    [["--bogus"], /^restyled-autoscale: unknown option '--bogus' \(see --help\)$/],
    [["--once", "--interval", "30s"], /--once and --interval exclude each other/],
    [["--interval", "soon"], /--interval: "soon" is not a duration/],
    [["--interval", "500ms"], /--interval: "500ms" must be at least 1s/],
  ])("exits 64 on %j with one line on stderr", async (argv, message) => {
    const io = capture();
    expect(await main(argv, io)).toBe(64);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^restyled-autoscale: /);
    expect(io.stderr[0]).toMatch(message);
    expect(io.stdout).toEqual([]);
  });

  it("prints the package version with --version", async () => {
    const io = capture();
    expect(await main(["--version"], io)).toBe(0);
    const { version } = JSON.parse(
      await readFile(new URL("../package.json", import.meta.url), "utf8"),
    );
    expect(io.stdout).toEqual([version]);
  });

  it("exits 78 naming the missing variable", async () => {
    const io = capture();
    expect(await main(["--env", "test", "--once"], io)).toBe(78);
    expect(io.stderr[0]).toBe("restyled-autoscale: missing --group (or MACHINES_GROUP_NAME)");
  });
});

describe("restyled-autoscale runs", () => {
  async function prepared(jobs: number) {
    const aws = mockAws();
    const queue = uniqueName("test:cli");
    const group = uniqueName("machines");
    if (jobs > 0) {
      const redis = createClient({ url: redisUrl });
      await redis.connect();
      await redis.lPush(
        queue,
        Array.from({ length: jobs }, (_, i) => `job-${i}`),
      );
      await redis.close();
    }
    aws.group({ name: group, desired: 1 });
    const env = {
      RESTYLED_ENV: "test",
      REDIS_URL: redisUrl,
      RESTYLER_QUEUES: queue,
      MACHINES_GROUP_NAME: group,
    };
    return { aws, env };
  }

  it("--once --dry-run prints the decision and its reason and changes nothing", async () => {
    // 18 jobs: the machine in service gets 12 going within the boot; 6 more need 2 machines.
    const { aws, env } = await prepared(18);
    const io = capture();
    const code = await runCommand(["--once", "--dry-run"], io, {
      env,
      clients: aws.clients,
      logger: silentLogger(),
    });
    expect(code).toBe(0);
    expect(io.stdout).toHaveLength(1);
    const record = JSON.parse(io.stdout[0]!);
    expect(record).toMatchObject({ dryRun: true, action: "scale-out", desired: 3, applied: false });
    expect(record.reason).toMatch(/demand 18 .*from 1 to 3/);
    expect(aws.writes()).toHaveLength(0);
  });

  it("exits 1 with the error in the record when Redis is unreachable", async () => {
    const { aws, env } = await prepared(0);
    const io = capture();
    const code = await runCommand([], io, {
      env: { ...env, REDIS_URL: "redis://127.0.0.1:9" },
      clients: aws.clients,
      logger: silentLogger(),
    });
    expect(code).toBe(1);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({
      action: "none",
      error: { name: "DependencyError" },
    });
    expect(aws.writes()).toHaveLength(0);
  });

  it("--interval keeps running until stopped, printing one record per run", async () => {
    const { aws, env } = await prepared(1);
    const io = capture();
    const stop = new AbortController();
    const running = runCommand(["--interval", "1s"], io, {
      env,
      clients: aws.clients,
      logger: silentLogger(),
      stop: stop.signal,
    });
    // Two records mean a second run came on its interval.
    await vi.waitFor(() => expect(io.stdout.length).toBeGreaterThanOrEqual(2), {
      timeout: 30_000,
      interval: 50,
    });
    stop.abort();
    expect(await running).toBe(0);
    expect(io.stdout.length).toBeGreaterThanOrEqual(2);
    for (const line of io.stdout)
      expect(JSON.parse(line)).toMatchObject({ action: "none", desired: 1 });
  });
});

describe("restyled-autoscale simulate and generate-trace", () => {
  it("generates a trace that simulate replays, writing the SVG chart", async () => {
    const tracePath = join(dir, "day.csv");
    const svgPath = join(dir, "day.svg");
    expect(
      await main(["generate-trace", "--days", "1", "--seed", "4", "--out", tracePath], capture()),
    ).toBe(0);
    expect(parseTrace(await readFile(tracePath, "utf8")).length).toBe(1_440);

    const io = capture();
    expect(await main(["simulate", "--trace", tracePath, "--svg", svgPath], io)).toBe(0);
    const table = io.stdout.join("\n");
    expect(table).toMatch(
      /policy\s+wait p50\s+wait p95\s+wait max\s+machine-h\s+stopped-h\s+warm starts\s+actions/,
    );
    for (const row of [
      "this tool (3m window, warm pool 60s start, 1m window while warm, pool sized to the 24h peak + 2)",
      "thresholds >40/<10 ",
      "target tracking, backlog/instance 4",
      "KEDA/HPA, 3 jobs/machine, 5m window",
      "thresholds >40/<10, 2 tasks/machine",
    ]) {
      expect(table).toContain(row);
    }
    expect(await readFile(svgPath, "utf8")).toMatch(/^<svg /);
  });

  it("gives the warm pool to every group, or to none, with --warm-pool", async () => {
    const rows = async (argv: string[]) => {
      const io = capture();
      expect(await main(["simulate", "--json", ...argv], io)).toBe(0);
      const summary = JSON.parse(io.stdout.join(""));
      return summary.policies.map((p: { label: string; stoppedHours: number }) => [
        p.label,
        p.stoppedHours > 0,
      ]);
    };
    const none = await rows(["--warm-pool", "none"]);
    expect(none[0]).toEqual(["this tool (3m window, no warm pool)", false]);
    expect(none.every(([, stopped]: [string, boolean]) => !stopped)).toBe(true);
    const all = await rows(["--warm-pool", "all", "--warm-start", "90s"]);
    expect(all[0][0]).toBe(
      "this tool (3m window, warm pool 90s start, 1.5m window while warm, pool sized to the 24h peak + 2)",
    );
    expect(all.every(([, stopped]: [string, boolean]) => stopped)).toBe(true);
    const awsDefault = await rows(["--warm-pool-sizing", "aws-default"]);
    expect(awsDefault[0]).toEqual([
      "this tool (3m window, warm pool 60s start, 1m window while warm, AWS default pool size)",
      true,
    ]);
    const io = capture();
    expect(await main(["simulate", "--warm-pool", "some"], io)).toBe(64);
    expect(io.stderr.join("\n")).toMatch(/--warm-pool/);
    const bad = capture();
    expect(await main(["simulate", "--warm-pool-sizing", "small"], bad)).toBe(64);
    expect(bad.stderr.join("\n")).toMatch(/--warm-pool-sizing/);
  });

  it("prints the figures as JSON with --json", async () => {
    const io = capture();
    expect(await main(["simulate", "--json", "--seed", "2"], io)).toBe(0);
    const summary = JSON.parse(io.stdout.join(""));
    expect(summary.policies[0]).toMatchObject({ family: "queue", waitP95Ms: expect.any(Number) });
    expect(summary.policies[1]).toMatchObject({
      family: "thresholds",
      machineHours: expect.any(Number),
    });
    expect(summary.jobs).toBeGreaterThan(1_000);
  });

  it("exits 64 naming the row of a bad trace, and writes no chart", async () => {
    const tracePath = join(dir, "bad.csv");
    const svgPath = join(dir, "bad.svg");
    await writeFile(
      tracePath,
      "timestamp,arrivals\n2026-01-05T00:00:00Z,1\n2026-01-05T00:01:00Z,lots\n",
    );
    const io = capture();
    expect(await main(["simulate", "--trace", tracePath, "--svg", svgPath], io)).toBe(64);
    expect(io.stderr[0]).toBe(
      `restyled-autoscale: ${tracePath} row 3: arrivals "lots" is not a whole number of jobs`,
    );
    await expect(readFile(svgPath)).rejects.toThrowError(/ENOENT/);
  });

  it("refuses an --svg it cannot write before any work: the trace is not even read", async () => {
    const io = capture();
    const argv = ["simulate", "--trace", "/no/such/trace.csv", "--svg", "/no/such/dir/x.svg"];
    expect(await main(argv, io)).toBe(64);
    expect(io.stderr).toEqual([
      "restyled-autoscale: --svg: cannot write /no/such/dir/x.svg: folder /no/such/dir does not exist",
    ]);
    expect(io.stdout).toEqual([]);
  });

  it("refuses an --svg that is a directory, and an --out in a missing folder", async () => {
    const io = capture();
    expect(await main(["simulate", "--svg", dir], io)).toBe(64);
    expect(io.stderr[0]).toBe(`restyled-autoscale: --svg: ${dir} is a directory`);
    const again = capture();
    expect(await main(["generate-trace", "--out", join(dir, "nope", "t.csv")], again)).toBe(64);
    expect(again.stderr[0]).toMatch(/--out: cannot write .*nope\/t\.csv: folder .* does not exist/);
  });

  it.each([
    [
      ["simulate", "--trace", "/nonexistent/trace.csv"],
      /--trace: cannot read \/nonexistent\/trace\.csv: ENOENT/,
    ],
    [["simulate", "--job-duration", "gamma:1m"], /--job-duration: "gamma:1m" is not/],
    [["simulate", "--min", "5", "--max", "2"], /--min 5 is above --max 2/],
    [["simulate", "--boot-delay", "0s"], /--boot-delay: "0s" must be above 0/],
    [
      ["simulate", "--expected-job-duration", "soon"],
      /--expected-job-duration: "soon" is not a duration/,
    ],
    [
      ["simulate", "--expected-job-duration", "500ms"],
      /--expected-job-duration must be at least 1s/,
    ],
    [["generate-trace", "--days", "0"], /--days: "0" is not a whole number of at least 1/],
    [["generate-trace", "--busy-rate=-2"], /--busy-rate: "-2" is not a rate/],
  ])("exits 64 on %j", async (argv, message) => {
    const io = capture();
    expect(await main(argv, io)).toBe(64);
    expect(io.stderr[0]).toMatch(message);
  });
});
