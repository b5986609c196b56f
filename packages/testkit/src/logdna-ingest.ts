import { gunzipSync } from "node:zlib";
import type { HttpStandIn, RecordedRequest } from "./http-stand-in.js";
import { sendJson, startHttpStandIn } from "./http-stand-in.js";

/** A batch the stand-in accepted. */
export interface IngestedBatch {
  /** The query string: hostname, now, tags. */
  query: URLSearchParams;
  lines: Array<Record<string, unknown>>;
  /** Whether the body came gzipped (`Content-Encoding: gzip`). */
  gzipped: boolean;
  /** Uncompressed body size in bytes. */
  bytes: number;
}

export interface LogdnaIngestStandIn extends HttpStandIn {
  /** Ingest URL to configure (`…/logs/ingest`). */
  ingestUrl: string;
  /** Accepted batches, in the order they arrived. */
  batches: IngestedBatch[];
  /** Every accepted line, across batches. */
  lines(): Array<Record<string, unknown>>;
  /** Makes the next `times` ingest requests answer 429 with `Retry-After: seconds`. */
  rateLimit(options: { retryAfterSeconds?: number; times?: number }): void;
}

/**
 * A stand-in for LogDNA's ingest API (`POST /logs/ingest`), built to the
 * contract in ARCHITECTURE.md: the key is the basic-auth user name or the
 * `apikey` header (401 otherwise), `hostname` is required, the body may be
 * gzipped and must be `{"lines":[…]}` with a string `line` each (400
 * otherwise). Failures (429, 500, 400) are injected with `injectFailure` or
 * `rateLimit`.
 */
export async function startLogdnaIngest(options: { key: string }): Promise<LogdnaIngestStandIn> {
  const batches: IngestedBatch[] = [];
  const standIn = await startHttpStandIn((request, response) => {
    const url = new URL(request.url, "http://stand-in");
    if (url.pathname !== "/logs/ingest" || request.method !== "POST") {
      return sendJson(response, 404, { error: "Not Found" });
    }
    if (keyOf(request) !== options.key) {
      return sendJson(response, 401, { error: "Unauthorized: invalid ingestion key" });
    }
    if (!url.searchParams.get("hostname")) {
      return sendJson(response, 400, { error: "hostname is required" });
    }
    const gzipped = request.headers["content-encoding"] === "gzip";
    let body: Buffer;
    try {
      body = gzipped ? gunzipSync(request.body) : request.body;
    } catch {
      return sendJson(response, 400, { error: "body is not valid gzip" });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return sendJson(response, 400, { error: "body is not JSON" });
    }
    const lines = (parsed as { lines?: unknown })?.lines;
    if (
      !Array.isArray(lines) ||
      !lines.every((line) => line && typeof line === "object" && typeof line.line === "string")
    ) {
      return sendJson(response, 400, { error: "body must be {lines: [{line: string, …}]}" });
    }
    batches.push({ query: url.searchParams, lines, gzipped, bytes: body.length });
    return sendJson(response, 200, { status: "ok", batchID: `batch-${batches.length}` });
  });
  return Object.assign(standIn, {
    ingestUrl: `${standIn.url}/logs/ingest`,
    batches,
    lines: () => batches.flatMap((batch) => batch.lines),
    rateLimit({
      retryAfterSeconds = 1,
      times = 1,
    }: {
      retryAfterSeconds?: number;
      times?: number;
    }) {
      standIn.injectFailure({
        method: "POST",
        path: /^\/logs\/ingest/,
        status: 429,
        times,
        headers: { "retry-after": String(retryAfterSeconds) },
        body: JSON.stringify({ error: "Too Many Requests" }),
      });
    },
  });
}

function keyOf(request: RecordedRequest): string | undefined {
  const apikey = request.headers.apikey;
  if (typeof apikey === "string" && apikey !== "") return apikey;
  const match = /^Basic (.+)$/i.exec(request.headers.authorization ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon === -1 ? decoded : decoded.slice(0, colon);
}
