import { access, constants, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDuration } from "@restyled/core/duration";
import { ExitCode, UsageError } from "@restyled/core/errors";
import {
  boolean,
  defineOptions,
  integer,
  oneOf,
  type Parser,
  parseOptions,
  path,
} from "@restyled/core/options";
import type { Output } from "./output.js";
import { renderChart } from "./simulate/chart.js";
import { comparePolicies, DEFAULT_SIMULATION, type SimulationOptions } from "./simulate/compare.js";
import { generateTrace } from "./simulate/generate-trace.js";
import { type JobDurations, parseJobDurations } from "./simulate/job-durations.js";
import { comparisonSummary, formatComparison } from "./simulate/report.js";
import { formatTrace, parseTrace } from "./simulate/trace.js";
import { DEFAULT_WARM_POOL } from "./simulate/warm-pool.js";
import { DEFAULT_WARM_POOL_SIZING } from "./warm-pool-target.js";

/** The trace shipped with the package (this module sits in src/ or dist/, next to traces/). */
export const SHIPPED_TRACE = fileURLToPath(
  new URL("../traces/synthetic-3-days.csv", import.meta.url),
);

const positiveDuration: Parser<number> = Object.assign(
  (text: string) => {
    const ms = parseDuration(text);
    if (ms <= 0) throw new Error(`${JSON.stringify(text)} must be above 0`);
    return ms;
  },
  { metavar: "DURATION" },
);
const jobDurations: Parser<JobDurations> = Object.assign(
  (text: string) => {
    try {
      return parseJobDurations(text, "");
    } catch (error) {
      throw new Error((error as Error).message.replace(/^: /, ""));
    }
  },
  { metavar: "SPEC" },
);
const rate: Parser<number> = Object.assign(
  (text: string) => {
    const number = Number(text);
    if (text.trim() === "" || !Number.isFinite(number) || number < 0) {
      throw new Error(`${JSON.stringify(text)} is not a rate of 0 or more`);
    }
    return number;
  },
  { metavar: "RATE" },
);
const isoTime: Parser<number> = Object.assign(
  (text: string) => {
    const time = Date.parse(text);
    if (Number.isNaN(time)) throw new Error(`${JSON.stringify(text)} is not an ISO 8601 time`);
    return time;
  },
  { metavar: "TIME" },
);

const d = DEFAULT_SIMULATION;
export const SIMULATE_OPTIONS = defineOptions([
  {
    key: "trace",
    flag: "trace",
    parse: path,
    description: "CSV timestamp,arrivals (default: the shipped trace)",
  },
  {
    key: "durations",
    flag: "job-duration",
    parse: jobDurations,
    default: "lognormal:45s:3m",
    description: "fixed:60s, uniform:20s:2m or lognormal:MEDIAN:P95",
  },
  {
    key: "bootDelayMs",
    flag: "boot-delay",
    parse: positiveDuration,
    default: "3m",
    description: "launch to taking jobs; this policy is told the same",
  },
  {
    key: "expectedJobDurationMs",
    flag: "expected-job-duration",
    parse: positiveDuration,
    default: "1m",
    description: "what this policy assumes of a job (at least 1s)",
  },
  {
    key: "controlIntervalMs",
    flag: "interval",
    parse: positiveDuration,
    default: "1m",
    description:
      "how often this tool runs (the anchors keep their authors' own: 30s for the original and KEDA, 1m for target tracking)",
  },
  {
    key: "jobsPerMachine",
    flag: "jobs-per-machine",
    parse: integer({ min: 1 }),
    default: String(d.system.jobsPerMachine),
    description: "concurrent jobs per machine",
  },
  {
    key: "tasksPerMachine",
    flag: "tasks-per-machine",
    parse: integer({ min: 1 }),
    description: "Webhooks tasks per machine, for every policy (default: jobs per machine)",
  },
  {
    key: "min",
    flag: "min",
    parse: integer({ min: 0 }),
    default: String(d.system.min),
    description: "group minimum, every policy",
  },
  {
    key: "max",
    flag: "max",
    parse: integer({ min: 1 }),
    default: String(d.system.max),
    description: "group maximum, every policy",
  },
  {
    key: "scaleInStabilizationMs",
    flag: "scale-in-stabilization",
    parse: positiveDuration,
    default: "3m",
    description: "this policy's window",
  },
  {
    key: "warmPool",
    flag: "warm-pool",
    parse: oneOf(["ours", "all", "none"]),
    default: "ours",
    description:
      "which groups have the warm pool: this tool's (its lever, as the benchmark's goal), every policy's, or none",
  },
  {
    key: "warmPoolSizing",
    flag: "warm-pool-sizing",
    parse: oneOf(["peak", "aws-default"]),
    default: "peak",
    description:
      "this tool's pool: sized to the last day's peak + 2 (as the live tool), or AWS's default (MaxSize - desired)",
  },
  {
    key: "warmStartMs",
    flag: "warm-start",
    parse: positiveDuration,
    default: "1m",
    description: "a warm pool instance's start to taking jobs; this policy is told the same",
  },
  {
    key: "seed",
    flag: "seed",
    parse: integer({ min: 0 }),
    default: "1",
    description: "job arrivals and durations, dead agents",
  },
  {
    key: "svg",
    flag: "svg",
    parse: path,
    description:
      "write a chart of waiting jobs, desired and in-service machines (and the warm pool) per policy",
  },
  {
    key: "json",
    flag: "json",
    parse: boolean,
    default: "false",
    description: "print the figures as JSON instead of a table",
  },
] as const);

/** `restyled-autoscale simulate`: this policy and the anchors on one trace, side by side. */
export async function simulateCommand(argv: string[], output: Output): Promise<number> {
  const values = parseOptions(SIMULATE_OPTIONS, { argv, env: {} });
  if (values.min > values.max)
    throw new UsageError(`--min ${values.min} is above --max ${values.max}`);
  if (values.expectedJobDurationMs < 1_000) {
    throw new UsageError("--expected-job-duration must be at least 1s");
  }
  const pool = { ...DEFAULT_WARM_POOL, warmStartMs: values.warmStartMs };
  const settings: SimulationOptions = {
    ourWarmPool: values.warmPool === "none" ? null : pool,
    warmPoolSizing: values.warmPoolSizing === "peak" ? DEFAULT_WARM_POOL_SIZING : null,
    durations: values.durations,
    expectedJobDurationMs: values.expectedJobDurationMs,
    scaleInStabilizationMs: values.scaleInStabilizationMs,
    system: {
      ...d.system,
      bootDelayMs: values.bootDelayMs,
      controlIntervalMs: values.controlIntervalMs,
      jobsPerMachine: values.jobsPerMachine,
      tasksPerMachine: values.tasksPerMachine ?? values.jobsPerMachine,
      min: values.min,
      max: values.max,
      seed: values.seed,
      warmPool: values.warmPool === "all" ? pool : null,
    },
  };
  if (settings.system.controlIntervalMs % settings.system.tickMs !== 0) {
    throw new UsageError(
      `--interval must be a whole number of ${settings.system.tickMs / 1_000}s steps`,
    );
  }
  // Found before any work: a simulation takes seconds and its table would be lost.
  if (values.svg) await checkWritable(values.svg, "--svg");
  const tracePath = values.trace ?? SHIPPED_TRACE;
  const text = await readFile(tracePath, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--trace: cannot read ${tracePath}: ${error.code ?? error.message}`);
  });
  const comparison = comparePolicies(parseTrace(text, tracePath), settings);
  if (values.svg) await writeFile(values.svg, renderChart(comparison));
  output.out(
    values.json
      ? JSON.stringify(comparisonSummary(comparison), null, 2)
      : formatComparison(comparison),
  );
  return ExitCode.ok;
}

export const GENERATE_OPTIONS = defineOptions([
  {
    key: "days",
    flag: "days",
    parse: integer({ min: 1 }),
    default: "3",
    description: "days to generate",
  },
  {
    key: "start",
    flag: "start",
    parse: isoTime,
    description: "first row, ISO 8601 (default 2026-01-05T00:00:00Z, a Monday)",
  },
  {
    key: "seed",
    flag: "seed",
    parse: integer({ min: 0 }),
    default: "1",
    description: "random seed",
  },
  {
    key: "busyRate",
    flag: "busy-rate",
    parse: rate,
    description: "mean jobs per minute in working hours (default 2)",
  },
  {
    key: "quietRate",
    flag: "quiet-rate",
    parse: rate,
    description: "mean jobs per minute at night (default 0.3)",
  },
  {
    key: "burstsPerDay",
    flag: "bursts-per-day",
    parse: rate,
    description: "mean bursts of 20-120 jobs per working day (default 6)",
  },
  { key: "out", flag: "out", parse: path, description: "write there instead of stdout" },
] as const);

/** `restyled-autoscale generate-trace`: a synthetic trace as CSV. */
export async function generateTraceCommand(argv: string[], output: Output): Promise<number> {
  const values = parseOptions(GENERATE_OPTIONS, { argv, env: {} });
  if (values.out) await checkWritable(values.out, "--out");
  const csv = formatTrace(
    generateTrace({
      start: values.start,
      days: values.days,
      seed: values.seed,
      busyRate: values.busyRate,
      quietRate: values.quietRate,
      burstsPerDay: values.burstsPerDay,
    }),
  );
  if (values.out) await writeFile(values.out, csv);
  else output.out(csv);
  return ExitCode.ok;
}

/** An output file must be creatable (its folder exists and is writable) or, if present, writable. */
export async function checkWritable(file: string, what: string): Promise<void> {
  const full = resolve(file);
  const existing = await stat(full).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`${what}: ${file} is a directory`);
  const target = existing ? full : dirname(full);
  const folder = existing ? undefined : await stat(target).catch(() => undefined);
  if (!existing && !folder?.isDirectory()) {
    throw new UsageError(`${what}: cannot write ${file}: folder ${dirname(file)} does not exist`);
  }
  await access(target, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`${what}: cannot write ${file}: ${error.code ?? error.message}`);
  });
}
