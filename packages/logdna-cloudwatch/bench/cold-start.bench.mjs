// Cold start: how long the bundled handler module takes to load, in fresh
// Node processes (as a new Lambda instance would), against the 50 ms target.
// Baseline, in the same run: loading an empty module the same way, i.e.
// what Node's own module loading costs. Also shown: the SSM client file,
// loaded on the first key read when LOGDNA_KEY is not set.
//
//   node bench/cold-start.bench.mjs   (after `pnpm build`)
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET_MS = 50;
const handler = fileURLToPath(new URL("../dist/lambda/index.mjs", import.meta.url));
const ssmClient = fileURLToPath(new URL("../dist/lambda/ssm-client.mjs", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "cold-start-"));
const empty = join(scratch, "empty.mjs");
writeFileSync(empty, "export const handler = async () => {};\n");

/** Milliseconds to import `files` (in order) in a fresh process. */
function loadTime(files) {
  const script = `
    const start = performance.now();
    for (const file of ${JSON.stringify(files)}) await import(file);
    process.stdout.write(String(performance.now() - start));`;
  return Number(
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }),
  );
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const runs = { empty: [], handler: [], withSsm: [] };
try {
  for (let i = 0; i < RUNS; i++) {
    runs.empty.push(loadTime([empty]));
    runs.handler.push(loadTime([handler]));
    runs.withSsm.push(loadTime([handler, ssmClient]));
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const base = median(runs.empty);
console.log(
  `cold start (module load in a fresh process), median of ${RUNS} runs, target ${TARGET_MS} ms`,
);
for (const [name, label] of [
  ["empty", "baseline (an empty module)"],
  ["handler", "dist/lambda/index.mjs (the handler)"],
  ["withSsm", "handler + ssm-client.mjs (first SSM key read)"],
]) {
  const ms = median(runs[name]);
  console.log(
    `  ${label}: ${ms.toFixed(1)} ms, ${(ms / base).toFixed(2)}x baseline, ${(ms / TARGET_MS).toFixed(2)} of target${name === "handler" ? (ms <= TARGET_MS ? " (meets target)" : " (OVER TARGET)") : ""}`,
  );
}
