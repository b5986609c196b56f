import { describe, expect, it } from "vitest";
import { TraceError, UsageError } from "../errors.js";
import { formatTrace, parseTrace } from "./trace.js";

const GOOD = "timestamp,arrivals\n2026-01-05T00:00:00Z,3\n2026-01-05T00:01:00Z,0\n";

describe("parseTrace", () => {
  it("reads rows of ISO timestamps and arrivals", () => {
    expect(parseTrace(GOOD)).toEqual([
      { time: Date.parse("2026-01-05T00:00:00Z"), arrivals: 3 },
      { time: Date.parse("2026-01-05T00:01:00Z"), arrivals: 0 },
    ]);
  });

  it("round-trips what formatTrace writes, with CRLF line ends too", () => {
    const rows = parseTrace(GOOD);
    expect(parseTrace(formatTrace(rows).replace(/\n/g, "\r\n"))).toEqual(rows);
  });

  it.each([
    ["time,count\n", /trace row 1: expected the header "timestamp,arrivals", found "time,count"/],
    [
      `${GOOD}2026-01-05T00:02:00Z\n`,
      /trace row 4: expected 2 columns \(timestamp,arrivals\), found 1/,
    ],
    [`${GOOD}2026-01-05T00:02:00Z,1,2\n`, /trace row 4: expected 2 columns .*found 3/],
    [`${GOOD}yesterday,1\n`, /trace row 4: timestamp "yesterday" is not an ISO 8601 time/],
    [`${GOOD}2026-01-05T00:02:00,1\n`, /trace row 4: timestamp .* with a zone/],
    [
      `${GOOD}2026-01-05T00:02:00Z,-1\n`,
      /trace row 4: arrivals "-1" is not a whole number of jobs/,
    ],
    [`${GOOD}2026-01-05T00:02:00Z,2.5\n`, /trace row 4: arrivals "2.5"/],
    [`${GOOD}2026-01-05T00:02:00Z,\n`, /trace row 4: arrivals ""/],
    [
      `${GOOD}2026-01-05T00:01:00Z,1\n`,
      /trace row 4: timestamp 2026-01-05T00:01:00Z is not after the previous row's/,
    ],
    [
      "timestamp,arrivals\n2026-01-05T00:00:00Z,1\n",
      /needs at least 2 rows after the header, found 1/,
    ],
  ])("names the row and the problem: %j", (text, message) => {
    const error = (() => {
      try {
        parseTrace(text);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TraceError);
    expect(error).toBeInstanceOf(UsageError);
    expect(String(error)).toMatch(message);
  });

  it("names the file it was given", () => {
    expect(() => parseTrace("bad", "traces/mine.csv")).toThrowError(/^traces\/mine\.csv row 1:/);
  });
});
