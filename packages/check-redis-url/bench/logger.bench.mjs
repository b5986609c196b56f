// How much the secret-masking logger costs per line, against the named
// baseline "plain JSON.stringify" of the same record, in the same process.
// Target: under 10x the baseline (a run writes about ten lines, so even 10x
// is microseconds; this guards against an accidental quadratic scrub).
// Run `pnpm build` first: it measures the published code in dist/.
import { createLogger } from "../dist/index.js";

const ITERATIONS = 50_000;
const record = {
  env: "prod",
  app: "restyled-io",
  from: "rediss://***@ec2-1-2-3-4.compute-1.amazonaws.com:25310",
  to: "rediss://***@ec2-5-6-7-8.compute-1.amazonaws.com:25310",
  changed: ["host", "password"],
};

// Consumed below, so the formatting cannot be optimised away.
let sink = 0;
const write = (line) => {
  sink += line.length;
};

function time(name, fn) {
  for (let i = 0; i < 2_000; i++) fn(); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) fn();
  const ns = Number(process.hrtime.bigint() - start) / ITERATIONS;
  console.log(`${name.padEnd(40)} ${(ns / 1000).toFixed(2)} µs/line`);
  return ns;
}

const baseline = time("baseline: plain JSON.stringify", () =>
  write(JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "m", ...record })),
);
const logger = createLogger({ level: "info", write });
logger.protect("p".repeat(64));
logger.protect("heroku-api-key-0123456789abcdef");
logger.protect("old-password-value-0123456789abcdef");
const measured = time("check-redis-url logger (3 secrets)", () => logger.info("m", record));

const ratio = measured / baseline;
console.log(`ratio: ${ratio.toFixed(2)}x the baseline (target < 10x); ${sink} bytes formatted`);
if (ratio >= 10) {
  console.error("logger is over its budget of 10x the baseline");
  process.exitCode = 1;
}
