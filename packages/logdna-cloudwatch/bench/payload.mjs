// The bench's subscription event: one DATA_MESSAGE of `count` events in the
// mix the Restyled services write: plain lines with a level word, JSON lines
// (restyled.io's structured logs), Lambda-runtime lines, and bare lines.
import { gzipSync } from "node:zlib";

export function makeSubscriptionEvent(count) {
  const logEvents = [];
  const requestId = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  for (let i = 0; i < count; i++) {
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
