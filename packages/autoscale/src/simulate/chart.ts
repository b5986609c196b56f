import type { Comparison } from "./compare.js";
import type { TimelinePoint } from "./simulator.js";

const WIDTH = 1200;
const PANEL = 260;
const MARGIN = { left: 60, right: 60, top: 40, bottom: 40 };

/**
 * An SVG chart with one panel per policy: queue depth (left axis) and desired
 * and in-service machines (right axis) over the replayed time.
 */
export function renderChart(comparison: Comparison, title = "Queue depth and machines"): string {
  const panels = [
    { name: "queue policy (this tool)", timeline: downsample(comparison.results.queue.timeline) },
    {
      name: "original thresholds policy",
      timeline: downsample(comparison.results.thresholds.timeline),
    },
  ];
  const all = panels.flatMap((p) => p.timeline);
  const start = Math.min(...all.map((p) => p.time));
  const end = Math.max(...all.map((p) => p.time), start + 1);
  const maxDepth = Math.max(1, ...all.map((p) => p.queued));
  const maxMachines = Math.max(1, ...all.map((p) => Math.max(p.desired, p.inService)));
  const height = MARGIN.top + panels.length * (PANEL + MARGIN.bottom) + 20;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const x = (time: number) => MARGIN.left + ((time - start) / (end - start)) * plotWidth;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="16">${escapeXml(title)}</text>`,
  ];
  panels.forEach((panel, index) => {
    const top = MARGIN.top + index * (PANEL + MARGIN.bottom);
    const yDepth = (v: number) => top + PANEL - (v / maxDepth) * PANEL;
    const yMachines = (v: number) => top + PANEL - (v / maxMachines) * PANEL;
    parts.push(
      `<g><text x="${MARGIN.left}" y="${top - 6}" font-weight="bold">${escapeXml(panel.name)}</text>`,
      `<rect x="${MARGIN.left}" y="${top}" width="${plotWidth}" height="${PANEL}" fill="none" stroke="#ccc"/>`,
      `<text x="${MARGIN.left - 6}" y="${top + 10}" text-anchor="end" fill="#999">${maxDepth}</text>`,
      `<text x="${MARGIN.left - 6}" y="${top + PANEL}" text-anchor="end" fill="#999">0</text>`,
      `<text x="${WIDTH - MARGIN.right + 6}" y="${top + 10}" fill="#1f77b4">${maxMachines}</text>`,
      polyline(panel.timeline, x, (p) => yDepth(p.queued), "#999", "queue depth"),
      steps(panel.timeline, x, (p) => yMachines(p.desired), "#d62728", "desired machines"),
      steps(panel.timeline, x, (p) => yMachines(p.inService), "#1f77b4", "machines in service"),
      `</g>`,
    );
  });
  const legendY = height - 12;
  const legend: Array<[string, string]> = [
    ["#999", "queue depth (left axis)"],
    ["#d62728", "desired machines (right axis)"],
    ["#1f77b4", "machines in service (right axis)"],
  ];
  legend.forEach(([color, label], i) => {
    const lx = MARGIN.left + i * 300;
    parts.push(
      `<line x1="${lx}" y1="${legendY - 4}" x2="${lx + 24}" y2="${legendY - 4}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${lx + 30}" y="${legendY}">${label}</text>`,
    );
  });
  parts.push(
    `<text x="${MARGIN.left}" y="${legendY - 18}" fill="#666">${new Date(start).toISOString()} to ${new Date(end).toISOString()}</text>`,
  );
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/**
 * Keeps the chart small on long traces: one point per bucket, holding the
 * bucket's highest values so that short bursts stay visible.
 */
export function downsample(points: TimelinePoint[], most = 1_500): TimelinePoint[] {
  if (points.length <= most) return points;
  const size = Math.ceil(points.length / most);
  const kept: TimelinePoint[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    kept.push({
      time: bucket[0]!.time,
      queued: Math.max(...bucket.map((p) => p.queued)),
      desired: Math.max(...bucket.map((p) => p.desired)),
      inService: Math.max(...bucket.map((p) => p.inService)),
    });
  }
  return kept;
}

function polyline(
  points: TimelinePoint[],
  x: (t: number) => number,
  y: (p: TimelinePoint) => number,
  color: string,
  label: string,
): string {
  const coords = points.map((p) => `${x(p.time).toFixed(1)},${y(p).toFixed(1)}`).join(" ");
  return `<polyline fill="none" stroke="${color}" stroke-width="1" points="${coords}"><title>${label}</title></polyline>`;
}

/** Machine counts change in steps, so draw them as a staircase. */
function steps(
  points: TimelinePoint[],
  x: (t: number) => number,
  y: (p: TimelinePoint) => number,
  color: string,
  label: string,
): string {
  const coords: string[] = [];
  points.forEach((p, i) => {
    if (i > 0) coords.push(`${x(p.time).toFixed(1)},${y(points[i - 1]!).toFixed(1)}`);
    coords.push(`${x(p.time).toFixed(1)},${y(p).toFixed(1)}`);
  });
  return `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${coords.join(" ")}"><title>${label}</title></polyline>`;
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"]/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!,
  );
}
