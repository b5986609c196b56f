// Throughput of the forwarder's pipeline (decode, transform, batch, serialize)
// on a 10,000-event subscription payload, against a baseline: the original
// forwarder's transform reimplemented below (LogDNA's official
// logdna-cloudwatch `parseEvent` + `prepareLogs` + one `JSON.stringify` of
// the body, with the leading ERROR/WARN/INFO/DEBUG word our first version
// parsed). Both run in this process, interleaved, on the same payload.
//
//   node bench/forward.bench.mjs   (after `pnpm build`)
import { gzipSync, unzipSync } from "node:zlib";
import {
  batchLines,
  DEFAULT_MAX_REQUEST_BYTES,
  decodeSubscriptionEvent,
  toLogdnaLines,
} from "../dist/index.js";

const EVENTS = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

function makeEvent() {
  const logEvents = [];
  const requestId = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  for (let i = 0; i < EVENTS; i++) {
    const timestamp = 1777636800000 + i;
    let message;
    switch (i % 4) {
      case 0:
        message = `INFO Processing job ${i} for restyled-io/restyled.io#${i % 977}\n`;
        break;
      case 1:
        message = JSON.stringify({
          time: timestamp,
          level: i % 8 === 1 ? "error" : "info",
          location: {
            package: "main",
            module: "Restyled.Job",
            file: "src/Restyled/Job.hs",
            line: 88,
          },
          context: { job: i, queue: "restyled:hooks:webhooks" },
          message: { text: "Restyler finished", meta: { exitCode: 0, durationMs: 1234 + i } },
        });
        break;
      case 2:
        message = `${new Date(timestamp).toISOString()}\t${requestId}\tWARN\tQueue depth ${i % 50}, ${i % 7} machines\n`;
        break;
      default:
        message = `docker run --label restyler --label job-id=${i} restyled/restyler-prettier:v3 exited 0 after ${i % 90}s`;
    }
    logEvents.push({
      id: String(37712034785609210112345678901234567890n + BigInt(i)),
      timestamp,
      message,
    });
  }
  const payload = {
    messageType: "DATA_MESSAGE",
    owner: "123456789012",
    logGroup: "restyled/prod/webhooks",
    logStream: "webhooks/restyled/4b1c0a9e2f6d4e51a0c3b8d7e6f5a4b3",
    subscriptionFilters: ["restyled-logdna"],
    logEvents,
  };
  return { awslogs: { data: gzipSync(JSON.stringify(payload)).toString("base64") } };
}

// --- baseline: the original forwarder's transform -------------------------
const LEVEL_WORD = /^(ERROR|WARN|INFO|DEBUG) /;
function baseline(event) {
  const eventData = JSON.parse(unzipSync(Buffer.from(event.awslogs.data, "base64")));
  const lines = eventData.logEvents.map((logEvent) => {
    const match = LEVEL_WORD.exec(logEvent.message);
    return {
      line: JSON.stringify({
        message: logEvent.message,
        source: "CloudWatchLogs",
        event: { type: eventData.messageType, id: logEvent.id },
        log: { group: eventData.logGroup, stream: eventData.logStream },
      }),
      timestamp: logEvent.timestamp,
      file: eventData.logStream,
      level: match ? match[1] : undefined,
      meta: { owner: eventData.owner, filters: eventData.subscriptionFilters },
    };
  });
  return [JSON.stringify({ e: "ls", ls: lines })];
}

// --- this package ---------------------------------------------------------
function ours(event) {
  const lines = toLogdnaLines(decodeSubscriptionEvent(event), { env: "prod" });
  return batchLines(lines, DEFAULT_MAX_REQUEST_BYTES).map((batch) => batch.body);
}
function oursGzipped(event) {
  return ours(event).map((body) => gzipSync(body, { level: 1 })); // as src/ingest.ts sends them
}

function time(fn, event) {
  const start = process.hrtime.bigint();
  const bodies = fn(event);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (bodies.length === 0) throw new Error("produced nothing");
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const event = makeEvent();
const runs = { baseline: [], ours: [], oursGzipped: [] };
const fns = { baseline, ours, oursGzipped };
for (let i = 0; i < 3; i++) for (const fn of Object.values(fns)) fn(event); // warm up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of Object.entries(fns)) runs[name].push(time(fn, event));
}

const rate = (ms) => Math.round(EVENTS / (ms / 1000));
const base = median(runs.baseline);
console.log(`forward pipeline, ${EVENTS} events, median of ${ROUNDS} rounds`);
for (const [name, label] of [
  ["baseline", "baseline (original forwarder transform)"],
  ["ours", "@restyled/logdna-cloudwatch (decode, transform, batch, serialize)"],
  ["oursGzipped", "@restyled/logdna-cloudwatch, bodies also gzipped"],
]) {
  const ms = median(runs[name]);
  console.log(
    `  ${label}: ${ms.toFixed(1)} ms, ${rate(ms).toLocaleString("en")} events/s, ratio vs baseline ${(base / ms).toFixed(2)}x`,
  );
}
