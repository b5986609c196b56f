import { formatDuration, parseDuration } from "@restyled/core/duration";
import { UsageError } from "../errors.js";
import { sampleNormal } from "./random.js";

/** How long restyle jobs run, as the simulator samples them. */
export type JobDurations =
  | { kind: "fixed"; ms: number }
  | { kind: "uniform"; minMs: number; maxMs: number }
  | { kind: "lognormal"; medianMs: number; p95Ms: number };

export const DEFAULT_JOB_DURATIONS = "lognormal:45s:3m";

/**
 * Parses `fixed:60s`, `uniform:20s:2m` or `lognormal:MEDIAN:P95` (a long tail,
 * like real restyle jobs: most are quick, a few run formatters over big diffs).
 */
export function parseJobDurations(spec: string, what = "--job-duration"): JobDurations {
  const [kind, ...args] = spec.trim().split(":");
  const durations = () => {
    try {
      return args.map((arg) => parseDuration(arg));
    } catch (error) {
      throw new UsageError(`${what}: ${(error as Error).message}`);
    }
  };
  const expect = (count: number, shape: string) => {
    if (args.length !== count) throw new UsageError(`${what}: "${spec}" should look like ${shape}`);
    const values = durations();
    if (values.some((v) => v <= 0))
      throw new UsageError(`${what}: "${spec}" needs durations above 0`);
    return values;
  };
  switch (kind) {
    case "fixed": {
      const [ms] = expect(1, "fixed:60s");
      return { kind, ms: ms! };
    }
    case "uniform": {
      const [minMs, maxMs] = expect(2, "uniform:20s:2m");
      if (minMs! > maxMs!)
        throw new UsageError(`${what}: "${spec}" has its minimum above its maximum`);
      return { kind, minMs: minMs!, maxMs: maxMs! };
    }
    case "lognormal": {
      const [medianMs, p95Ms] = expect(2, "lognormal:MEDIAN:P95, like lognormal:45s:3m");
      if (p95Ms! <= medianMs!)
        throw new UsageError(`${what}: "${spec}" needs its p95 above its median`);
      return { kind, medianMs: medianMs!, p95Ms: p95Ms! };
    }
    default:
      throw new UsageError(
        `${what}: "${spec}" is not fixed:D, uniform:MIN:MAX or lognormal:MEDIAN:P95`,
      );
  }
}

/** Samples one job duration in milliseconds. */
export function sampleJobDuration(durations: JobDurations, random: () => number): number {
  switch (durations.kind) {
    case "fixed":
      return durations.ms;
    case "uniform":
      return durations.minMs + random() * (durations.maxMs - durations.minMs);
    case "lognormal": {
      // p95 = median * exp(1.645 sigma)
      const sigma = Math.log(durations.p95Ms / durations.medianMs) / 1.645;
      return durations.medianMs * Math.exp(sigma * sampleNormal(random));
    }
  }
}

export function describeJobDurations(durations: JobDurations): string {
  switch (durations.kind) {
    case "fixed":
      return `fixed ${formatDuration(durations.ms)}`;
    case "uniform":
      return `uniform ${formatDuration(durations.minMs)} to ${formatDuration(durations.maxMs)}`;
    case "lognormal":
      return `lognormal, median ${formatDuration(durations.medianMs)}, p95 ${formatDuration(durations.p95Ms)}`;
  }
}
