import { TraceError } from "../errors.js";

/** One row of a queue trace: jobs that arrived from `time` until the next row. */
export interface TraceRow {
  /** Epoch milliseconds. */
  time: number;
  arrivals: number;
}

export const TRACE_HEADER = "timestamp,arrivals";
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses a trace CSV: a `timestamp,arrivals` header, then one row per interval
 * with an ISO 8601 timestamp (with a zone) and a whole number of arrivals.
 * Timestamps must increase. An error names the file, the line and the problem.
 */
export function parseTrace(text: string, source = "trace"): TraceRow[] {
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.trim().replace(/^\uFEFF/, "");
  if (header !== TRACE_HEADER) {
    throw new TraceError(
      `${source} row 1: expected the header "${TRACE_HEADER}", found "${header ?? ""}"`,
    );
  }
  const rows: TraceRow[] = [];
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index]!.trim();
    if (line === "") continue;
    const where = `${source} row ${index + 1}`;
    const cells = line.split(",").map((cell) => cell.trim());
    if (cells.length !== 2) {
      throw new TraceError(
        `${where}: expected 2 columns (timestamp,arrivals), found ${cells.length}: "${line}"`,
      );
    }
    const [stamp, count] = cells as [string, string];
    const time = Date.parse(stamp);
    if (!ISO_TIME.test(stamp) || Number.isNaN(time)) {
      throw new TraceError(
        `${where}: timestamp "${stamp}" is not an ISO 8601 time with a zone, like 2026-01-05T09:00:00Z`,
      );
    }
    if (!/^\d+$/.test(count)) {
      throw new TraceError(`${where}: arrivals "${count}" is not a whole number of jobs`);
    }
    const previous = rows.at(-1);
    if (previous && time <= previous.time) {
      throw new TraceError(`${where}: timestamp ${stamp} is not after the previous row's`);
    }
    rows.push({ time, arrivals: Number(count) });
  }
  if (rows.length < 2) {
    throw new TraceError(`${source}: needs at least 2 rows after the header, found ${rows.length}`);
  }
  return rows;
}

export function formatTrace(rows: TraceRow[]): string {
  return `${TRACE_HEADER}\n${rows.map((r) => `${new Date(r.time).toISOString()},${r.arrivals}`).join("\n")}\n`;
}
