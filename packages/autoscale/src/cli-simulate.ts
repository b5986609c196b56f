import { access, constants, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { EXIT, parseFlags } from "./cli-flags.js";
import { parseDuration } from "./duration.js";
import { UsageError } from "./errors.js";
import { GENERATE_HELP, SIMULATE_HELP } from "./help.js";
import type { Output } from "./output.js";
import { renderChart } from "./simulate/chart.js";
import { comparePolicies, DEFAULT_SIMULATION, type SimulationOptions } from "./simulate/compare.js";
import { generateTrace } from "./simulate/generate-trace.js";
import { parseJobDurations } from "./simulate/job-durations.js";
import { comparisonSummary, formatComparison } from "./simulate/report.js";
import { formatTrace, parseTrace } from "./simulate/trace.js";

/** The trace shipped with the package (this module sits in src/ or dist/, next to traces/). */
export const SHIPPED_TRACE = fileURLToPath(
  new URL("../traces/synthetic-3-days.csv", import.meta.url),
);

const SIMULATE_FLAGS = {
  trace: { type: "string" },
  "job-duration": { type: "string" },
  "boot-delay": { type: "string" },
  "expected-job-duration": { type: "string" },
  interval: { type: "string" },
  "jobs-per-machine": { type: "string" },
  "tasks-per-machine": { type: "string" },
  min: { type: "string" },
  max: { type: "string" },
  "scale-in-stabilization": { type: "string" },
  seed: { type: "string" },
  svg: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** `restyled-autoscale simulate`: both policies on one trace, side by side. */
export async function simulateCommand(argv: string[], output: Output): Promise<number> {
  const { values } = parseFlags(argv, SIMULATE_FLAGS);
  if (values.help) {
    output.out(SIMULATE_HELP);
    return EXIT.ok;
  }
  const d = DEFAULT_SIMULATION;
  const min = integer(values.min, "--min", d.system.min, 0);
  const max = integer(values.max, "--max", d.system.max, 1);
  if (min > max) throw new UsageError(`--min ${min} is above --max ${max}`);
  const jobsPerMachine = integer(
    values["jobs-per-machine"],
    "--jobs-per-machine",
    d.system.jobsPerMachine,
    1,
  );
  const settings: SimulationOptions = {
    durations: values["job-duration"] ? parseJobDurations(values["job-duration"]) : d.durations,
    expectedJobDurationMs: duration(
      values["expected-job-duration"],
      "--expected-job-duration",
      d.expectedJobDurationMs,
    ),
    scaleInStabilizationMs: duration(
      values["scale-in-stabilization"],
      "--scale-in-stabilization",
      d.scaleInStabilizationMs,
    ),
    system: {
      ...d.system,
      bootDelayMs: duration(values["boot-delay"], "--boot-delay", d.system.bootDelayMs),
      controlIntervalMs: duration(values.interval, "--interval", d.system.controlIntervalMs),
      jobsPerMachine,
      tasksPerMachine: integer(
        values["tasks-per-machine"],
        "--tasks-per-machine",
        jobsPerMachine,
        1,
      ),
      min,
      max,
      seed: integer(values.seed, "--seed", d.system.seed, 0),
    },
  };
  if (settings.expectedJobDurationMs < 1_000)
    throw new UsageError("--expected-job-duration must be at least 1s");
  if (settings.system.controlIntervalMs % settings.system.tickMs !== 0)
    throw new UsageError(
      `--interval must be a whole number of ${settings.system.tickMs / 1_000}s steps`,
    );

  // Found before any work: a simulation takes seconds and its table would be lost.
  if (values.svg) await checkWritable(values.svg, "--svg");
  const path = values.trace ?? SHIPPED_TRACE;
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--trace: cannot read ${path}: ${error.code ?? error.message}`);
  });
  const comparison = comparePolicies(parseTrace(text, path), settings);
  if (values.svg) await writeFile(values.svg, renderChart(comparison));
  output.out(
    values.json
      ? JSON.stringify(comparisonSummary(comparison), null, 2)
      : formatComparison(comparison),
  );
  return EXIT.ok;
}

const GENERATE_FLAGS = {
  days: { type: "string" },
  start: { type: "string" },
  seed: { type: "string" },
  "busy-rate": { type: "string" },
  "quiet-rate": { type: "string" },
  "bursts-per-day": { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** `restyled-autoscale generate-trace`: a synthetic trace as CSV. */
export async function generateTraceCommand(argv: string[], output: Output): Promise<number> {
  const { values } = parseFlags(argv, GENERATE_FLAGS);
  if (values.help) {
    output.out(GENERATE_HELP);
    return EXIT.ok;
  }
  const start = values.start === undefined ? undefined : Date.parse(values.start);
  if (start !== undefined && Number.isNaN(start)) {
    throw new UsageError(`--start: "${values.start}" is not an ISO 8601 time`);
  }
  if (values.out) await checkWritable(values.out, "--out");
  const csv = formatTrace(
    generateTrace({
      start,
      days: integer(values.days, "--days", 3, 1),
      seed: integer(values.seed, "--seed", 1, 0),
      busyRate: rate(values["busy-rate"], "--busy-rate"),
      quietRate: rate(values["quiet-rate"], "--quiet-rate"),
      burstsPerDay: rate(values["bursts-per-day"], "--bursts-per-day"),
    }),
  );
  if (values.out) await writeFile(values.out, csv);
  else output.out(csv);
  return EXIT.ok;
}

/** An output file must be creatable (its folder exists and is writable) or, if present, writable. */
export async function checkWritable(path: string, what: string): Promise<void> {
  const full = resolve(path);
  const existing = await stat(full).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`${what}: ${path} is a directory`);
  const target = existing ? full : dirname(full);
  const folder = existing ? undefined : await stat(target).catch(() => undefined);
  if (!existing && !folder?.isDirectory()) {
    throw new UsageError(`${what}: cannot write ${path}: folder ${dirname(path)} does not exist`);
  }
  await access(target, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`${what}: cannot write ${path}: ${error.code ?? error.message}`);
  });
}

function integer(value: string | undefined, what: string, fallback: number, least: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < least) {
    throw new UsageError(`${what}: "${value}" is not a whole number of at least ${least}`);
  }
  return Number(value);
}

function rate(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number < 0) {
    throw new UsageError(`${what}: "${value}" is not a rate of 0 or more`);
  }
  return number;
}

function duration(value: string | undefined, what: string, fallback: number): number {
  if (value === undefined) return fallback;
  try {
    const ms = parseDuration(value, what);
    if (ms <= 0) throw new UsageError(`${what}: "${value}" must be above 0`);
    return ms;
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError((error as Error).message);
  }
}
