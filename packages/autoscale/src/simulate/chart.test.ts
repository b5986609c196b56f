import { describe, expect, it } from "vitest";
import { downsample, renderChart } from "./chart.js";
import { comparePolicies, DEFAULT_SIMULATION } from "./compare.js";
import { generateTrace } from "./generate-trace.js";

describe("renderChart", () => {
  it("draws waiting jobs, desired and in-service machines for every policy, with axes and a legend", () => {
    const comparison = comparePolicies(generateTrace({ days: 1, seed: 2 }), DEFAULT_SIMULATION);
    const svg = renderChart(comparison, "a <test> & chart");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("a &lt;test&gt; &amp; chart");
    // Three lines a policy, and the warm pool's for this tool's group (the only one with a pool).
    expect(svg.match(/<polyline /g)).toHaveLength(3 * comparison.results.length + 1);
    for (const label of [
      "waiting jobs",
      "desired machines",
      "machines in service",
      "warm pool, ready",
    ]) {
      expect(svg).toContain(`<title>${label}</title>`);
    }
    for (const { label } of comparison.results) expect(svg).toContain(escapeXml(label));
    // Axes with units, time ticks in UTC, and the legend.
    expect(svg).toContain(">waiting jobs</text>");
    expect(svg).toContain(">machines</text>");
    expect(svg).toMatch(/>Mon 06:00</);
    expect(svg).toContain("waiting jobs = queue depth (left axis, jobs)");
    expect(svg).toContain("warm pool, stopped and ready (right axis)");
    expect(svg).toContain("time (UTC)");
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

function escapeXml(text: string): string {
  return text.replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

describe("downsample", () => {
  it("keeps the peaks of each bucket", () => {
    const points = Array.from({ length: 3_000 }, (_, i) => ({
      time: i,
      queued: i === 1_001 ? 99 : 1,
      desired: 1,
      inService: 1,
      warm: i === 1_001 ? 0 : 2,
    }));
    const kept = downsample(points, 1_500);
    expect(kept).toHaveLength(1_500);
    expect(kept[500]).toEqual({ time: 1_000, queued: 99, desired: 1, inService: 1, warm: 0 });
    expect(downsample(points.slice(0, 10))).toHaveLength(10);
  });
});
