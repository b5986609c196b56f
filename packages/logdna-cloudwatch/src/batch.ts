import type { LogdnaLine } from "./transform.js";

/**
 * Default cap on one request's uncompressed JSON body: well under LogDNA's
 * 10 MB request limit (and its own client's 5 MB flush), so a retry is cheap.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 2 * 1024 * 1024;

/** One request's worth of lines, already serialized. */
export interface Batch {
  /** `{"lines":[…]}` as JSON text. */
  body: string;
  lines: number;
  /** UTF-8 size of `body`. */
  bytes: number;
}

// Aim a little under the cap when splitting, so parts of uneven lines still fit.
const FILL = 0.95;

/**
 * Serializes lines into request bodies of at most `maxBytes` each, in order.
 *
 * Most subscription events fit in one request, so the whole event is
 * serialized at once (one JSON.stringify is much cheaper than one per line
 * plus a join). When it does not fit, it is cut into as many equal runs of
 * lines as its size needs, and any run still too big is cut again. A single
 * line bigger than the cap (only possible with a very small cap, lines being
 * truncated) goes alone.
 */
export function batchLines(lines: readonly LogdnaLine[], maxBytes: number): Batch[] {
  const batches: Batch[] = [];
  // A cheap size guess first, so a big event is cut before it is serialized
  // whole (which would serialize everything twice).
  const parts = Math.ceil(estimateBytes(lines) / (maxBytes * FILL));
  const size = Math.ceil(lines.length / Math.max(1, parts));
  for (let start = 0; start < lines.length; start += size) {
    split(lines.slice(start, start + size), maxBytes, batches);
  }
  return batches;
}

/** Roughly the JSON size of lines: the text, its fields again, and the other keys. */
function estimateBytes(lines: readonly LogdnaLine[]): number {
  let bytes = 0;
  for (const line of lines) bytes += line.line.length * (line.meta ? 2 : 1) + line.file.length + 80;
  return bytes;
}

function split(lines: readonly LogdnaLine[], maxBytes: number, batches: Batch[]): void {
  const body = JSON.stringify({ lines });
  const bytes = Buffer.byteLength(body, "utf8");
  if (bytes <= maxBytes || lines.length === 1) {
    batches.push({ body, lines: lines.length, bytes });
    return;
  }
  // The guess was short (non-ASCII text, escaping): cut by the real size.
  const parts = Math.min(lines.length, Math.max(2, Math.ceil(bytes / (maxBytes * FILL))));
  const size = Math.ceil(lines.length / parts);
  for (let start = 0; start < lines.length; start += size) {
    split(lines.slice(start, start + size), maxBytes, batches);
  }
}
