// Throughput and CPU per event of the forwarder, end to end (decode,
// transform, batch, serialize, gzip, POST), on a 10,000-event subscription
// payload, against a named baseline: the 2020 forwarder this package replaces
// (restyled-io/ops, lambda/logdna-cloudwatch/index.js as of 2020-08-07),
// reproduced below line for line: its `prepareLogs` and `parseLevel`, one
// `JSON.stringify` of `{lines}`, and its request (POST, basic auth with the key
// as user name, `?hostname=`, JSON content type, the body uncompressed). The
// original used the `request` package; the baseline uses `node:http`, which is
// lighter, so the comparison favours the baseline.
//
// How it is kept fair: both run in this one process on the same payload
// object, against the same sink (a loopback HTTP server in this process that
// reads each body and answers 200, as cheap as a server can be, so its share of
// the CPU is mostly what the bytes cost), after warm-up runs of each, in
// alternating order (ABBA), and each run's wall time and process CPU time
// (user + system, `process.cpuUsage`) are recorded. The figures are medians.
//
//   node bench/forward.bench.mjs   (after `pnpm build`)
import { createServer, request } from "node:http";
import { unzipSync } from "node:zlib";
import { createKeySource, handleSubscriptionEvent, readForwarderConfig } from "../dist/index.js";
import { makeSubscriptionEvent } from "./payload.mjs";

const EVENTS = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const KEY = "bench-ingestion-key";

// --- the sink -----------------------------------------------------------
let sinkBytes = 0;
const sink = createServer((req, res) => {
  req.on("data", (chunk) => {
    sinkBytes += chunk.length;
  });
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"status":"ok"}');
  });
});
await new Promise((resolve) => sink.listen(0, "127.0.0.1", resolve));
const ingestUrl = `http://127.0.0.1:${sink.address().port}/logs/ingest`;

// --- baseline: the 2020 original, as it was -----------------------------
const ENV = "prod";
const prepareLogs = (event) => {
  const eventData = JSON.parse(unzipSync(Buffer.from(event.awslogs.data, "base64")));
  const lines = eventData.logEvents.map((event) => {
    const parsed = parseLevel(event.message);
    return {
      timestamp: event.timestamp,
      env: ENV,
      app: eventData.logGroup,
      file: eventData.logStream,
      level: parsed ? parsed.level : null,
      line: parsed ? parsed.message : event.message,
    };
  });
  return { lines: lines };
};
const parseLevel = (message) => {
  const regex = /^(error|warn|info|debug) /i;
  const result = message.match(regex);
  if (result !== null && result !== undefined) {
    return { level: result[1].toUpperCase().trim(), message: message.slice(result[0].length) };
  }
  return null;
};
function postJson(body) {
  const url = new URL(ingestUrl);
  url.searchParams.set("hostname", "cloudwatch");
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${KEY}:`).toString("base64")}`,
          "content-type": "application/json; charset=UTF-8",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve(JSON.parse(text)));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
async function baseline(event) {
  const lines = prepareLogs(event);
  return postJson(JSON.stringify(lines));
}

// --- this package, through the Lambda's own handler path ------------------
const config = readForwarderConfig({
  RESTYLED_ENV: "prod",
  LOGDNA_KEY: KEY,
  LOGDNA_INGEST_URL: ingestUrl,
  LOGDNA_ALLOW_HTTP: "true",
});
const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const deps = { config, keys: createKeySource({ env: "prod", key: KEY }), logger: silent };
const context = { getRemainingTimeInMillis: () => 60_000 };
async function ours(event) {
  const result = await handleSubscriptionEvent(event, context, deps);
  if (result.lines !== EVENTS) throw new Error(`forwarded ${result.lines} lines`);
  return result;
}

async function measure(fn, event) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const bytesBefore = sinkBytes;
  await fn(event);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, bytes: sinkBytes - bytesBefore };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const event = makeSubscriptionEvent(EVENTS);
const fns = { baseline, ours };
for (let i = 0; i < 5; i++) for (const fn of Object.values(fns)) await fn(event); // warm up
const runs = { baseline: [], ours: [] };
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? ["baseline", "ours"] : ["ours", "baseline"];
  for (const name of order) runs[name].push(await measure(fns[name], event));
}
sink.close();

const summary = (name) => ({
  ms: median(runs[name].map((run) => run.ms)),
  cpuMs: median(runs[name].map((run) => run.cpuMs)),
  bytes: median(runs[name].map((run) => run.bytes)),
});
const base = summary("baseline");
const mine = summary("ours");
const line = (label, s) =>
  `  ${label}: ${s.ms.toFixed(1)} ms, ${Math.round(EVENTS / (s.ms / 1000)).toLocaleString("en")} events/s, ` +
  `${((s.cpuMs * 1000) / EVENTS).toFixed(2)} µs CPU/event, ${(s.bytes / 1024).toFixed(0)} KiB sent`;
console.log(`forwarder end to end, ${EVENTS} events, median of ${ROUNDS} alternating rounds`);
console.log(line("baseline (2020 original forwarder)", base));
console.log(line("@restyled/logdna-cloudwatch", mine));
console.log(
  `  ratio vs baseline: ${(base.ms / mine.ms).toFixed(2)}x events/s (goal >= 1.2x), ` +
    `${(mine.cpuMs / base.cpuMs).toFixed(2)}x CPU per event (goal <= 1.0x)`,
);
