import type { LogdnaLine } from "./transform.js";

/**
 * Default cap on one request's uncompressed JSON body: well under LogDNA's
 * 10 MB request limit (and its own client's 5 MB flush), so a retry is cheap.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 2 * 1024 * 1024;

/** One request's worth of lines, already serialized. */
export interface Batch {
  /** `{"lines":[…]}` as JSON text (built on first use: sending needs only `parts`). */
  readonly body: string;
  /**
   * The serialized runs of lines, each a JSON array (`[{…},{…}]`); the body
   * is these joined, without their brackets, inside `{"lines":[…]}`.
   */
  readonly parts: readonly string[];
  lines: number;
  /** UTF-8 size of `body`. */
  bytes: number;
}

const OPEN = '{"lines":[';
const CLOSE = "]}";
const ENVELOPE_BYTES = OPEN.length + CLOSE.length;
// Lines are serialized in runs ("chunks") of about this fraction of the cap:
// small enough that a request is cut at most one chunk short of full, large
// enough that each JSON.stringify call does real work (V8 serializes a run of
// objects much faster than the same objects one call each plus a join).
const CHUNKS_PER_REQUEST = 64;
const FIRST_CHUNK_LINES = 64;
const MAX_CHUNK_LINES = 2048;

/**
 * Serializes lines into request bodies of at most `maxBytes` each, in order,
 * cut on the real UTF-8 size of the serialized text. Every line is serialized
 * once: runs of lines are serialized together, measured, and packed into
 * requests; the run length adapts to the line size seen so far. Only a run
 * too big for a request of its own is cut and serialized again (lines far
 * bigger than the ones before them). A single line bigger than the cap (only
 * possible with a very small cap, lines being truncated) goes alone.
 */
export function batchLines(lines: readonly LogdnaLine[], maxBytes: number): Batch[] {
  const batches: Batch[] = [];
  let parts: string[] = [];
  let partLines = 0;
  let bytes = ENVELOPE_BYTES;
  const flush = () => {
    if (partLines === 0) return;
    batches.push(makeBatch(parts, partLines, bytes));
    parts = [];
    partLines = 0;
    bytes = ENVELOPE_BYTES;
  };
  const add = (json: string, size: number, count: number) => {
    // The comma between runs counts too.
    if (partLines > 0 && bytes + size + 1 > maxBytes) flush();
    bytes += partLines === 0 ? size : size + 1;
    parts.push(json);
    partLines += count;
  };
  // A run too big even for a request of its own is halved until its parts fit.
  const place = (start: number, end: number): number => {
    const text = JSON.stringify(lines.slice(start, end));
    const size = Buffer.byteLength(text, "utf8") - 2; // without the array's brackets
    if (size + ENVELOPE_BYTES > maxBytes && end - start > 1) {
      const middle = start + Math.ceil((end - start) / 2);
      return place(start, middle) + place(middle, end);
    }
    add(text, size, end - start);
    return size;
  };

  const target = Math.max(1, maxBytes / CHUNKS_PER_REQUEST);
  let run = FIRST_CHUNK_LINES;
  for (let start = 0; start < lines.length; ) {
    const end = Math.min(lines.length, start + run);
    const size = place(start, end);
    // Aim the next run at the target size, from the mean line size of this one.
    const perLine = Math.max(1, size / (end - start));
    run = Math.min(MAX_CHUNK_LINES, Math.max(1, Math.floor(target / perLine)));
    start = end;
  }
  flush();
  return batches;
}

function makeBatch(parts: readonly string[], lines: number, bytes: number): Batch {
  let body: string | undefined;
  return {
    parts,
    lines,
    bytes,
    get body() {
      body ??= `${OPEN}${parts.map((part) => part.slice(1, -1)).join(",")}${CLOSE}`;
      return body;
    },
  };
}

/**
 * Writes a batch's body into `target` (at least `batch.bytes` long) without
 * building it as one string first: each run is written whole, and its
 * opening bracket then becomes the comma after the previous run (whose
 * closing bracket it overwrote). Returns the bytes written. Joining the runs
 * into a string cost more than serializing them.
 */
export function writeBody(batch: Batch, target: Buffer): number {
  let offset = target.write('{"lines":', 0, "latin1");
  batch.parts.forEach((part, index) => {
    const written = target.write(part, offset, "utf8");
    if (index > 0) target[offset] = 0x2c; // ","
    offset += written - 1; // the next run starts on this one's "]"
  });
  if (batch.parts.length === 0) offset += target.write("[", offset, "latin1");
  offset += target.write("]}", offset, "latin1");
  return offset;
}
