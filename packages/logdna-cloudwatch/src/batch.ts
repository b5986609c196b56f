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

const OPEN = '{"lines":[';
const CLOSE = "]}";
const FRAME_BYTES = OPEN.length + CLOSE.length;

/**
 * Serializes lines into request bodies of at most `maxBytes` each, in order.
 * Each line is stringified once; a single line bigger than the cap (only
 * possible with a very small cap, lines being truncated) goes alone.
 */
export function batchLines(lines: readonly LogdnaLine[], maxBytes: number): Batch[] {
  const batches: Batch[] = [];
  let parts: string[] = [];
  let bytes = FRAME_BYTES;
  const flush = () => {
    if (parts.length === 0) return;
    batches.push({ body: OPEN + parts.join(",") + CLOSE, lines: parts.length, bytes });
    parts = [];
    bytes = FRAME_BYTES;
  };
  for (const line of lines) {
    const json = JSON.stringify(line);
    const size = Buffer.byteLength(json, "utf8");
    const separator = parts.length > 0 ? 1 : 0;
    if (parts.length > 0 && bytes + separator + size > maxBytes) flush();
    bytes += (parts.length > 0 ? 1 : 0) + size;
    parts.push(json);
  }
  flush();
  return batches;
}
