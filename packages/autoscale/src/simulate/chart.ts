import type { Comparison } from "./compare.js";
import type { TimelinePoint } from "./simulator.js";

const WIDTH = 1200;
const PANEL = 200;
const GAP = 56;
const MARGIN = { left: 70, right: 70, top: 50, bottom: 70 };
const COLORS = { waiting: "#888", desired: "#d62728", inService: "#1f77b4", warm: "#2ca02c" };

/**
 * An SVG chart, one panel per policy on a shared time axis (UTC): waiting
 * jobs, the queue depth, on the left axis; desired and in-service machines
 * (and, where the policy's group has a warm pool, the instances ready in it)
 * on the right axis; a legend below.
 */
export function renderChart(
  comparison: Comparison,
  title = "Waiting jobs and machines per policy",
): string {
  const panels = comparison.results.map((r) => ({
    name: r.label,
    timeline: downsample(r.result.timeline),
    pooled: r.result.timeline.some((p) => p.warm > 0),
  }));
  const all = panels.flatMap((p) => p.timeline);
  const start = Math.min(...all.map((p) => p.time));
  const end = Math.max(...all.map((p) => p.time), start + 1);
  const maxDepth = niceCeiling(Math.max(1, ...all.map((p) => p.queued)));
  const maxMachines = niceCeiling(
    Math.max(1, ...all.map((p) => Math.max(p.desired, p.inService, p.warm))),
  );
  const height = MARGIN.top + panels.length * (PANEL + GAP) + MARGIN.bottom;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const x = (time: number) => MARGIN.left + ((time - start) / (end - start)) * plotWidth;
  const hourMs = 3_600_000;
  const stepHours = (end - start) / hourMs > 48 ? 12 : 6;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16">${escapeXml(title)}</text>`,
  ];
  panels.forEach((panel, index) => {
    const top = MARGIN.top + index * (PANEL + GAP);
    const bottom = top + PANEL;
    const yDepth = (v: number) => bottom - (v / maxDepth) * PANEL;
    const yMachines = (v: number) => bottom - (v / maxMachines) * PANEL;
    parts.push(
      `<g><text x="${MARGIN.left}" y="${top - 8}" font-weight="bold" font-size="12">${escapeXml(panel.name)}</text>`,
      `<rect x="${MARGIN.left}" y="${top}" width="${plotWidth}" height="${PANEL}" fill="none" stroke="#ccc"/>`,
    );
    for (const fraction of [0, 0.5, 1]) {
      const y = bottom - fraction * PANEL;
      parts.push(
        `<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotWidth}" y2="${y}" stroke="#eee"/>`,
        `<text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end" fill="${COLORS.waiting}">${round(fraction * maxDepth)}</text>`,
        `<text x="${MARGIN.left + plotWidth + 6}" y="${y + 4}" fill="${COLORS.inService}">${round(fraction * maxMachines)}</text>`,
      );
    }
    parts.push(
      `<text transform="translate(${MARGIN.left - 44},${top + PANEL / 2}) rotate(-90)" text-anchor="middle" fill="${COLORS.waiting}">waiting jobs</text>`,
      `<text transform="translate(${MARGIN.left + plotWidth + 44},${top + PANEL / 2}) rotate(90)" text-anchor="middle" fill="${COLORS.inService}">machines</text>`,
    );
    for (
      let t = Math.ceil(start / (stepHours * hourMs)) * stepHours * hourMs;
      t <= end;
      t += stepHours * hourMs
    ) {
      const date = new Date(t);
      const label = `${["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][date.getUTCDay()]} ${String(date.getUTCHours()).padStart(2, "0")}:00`;
      parts.push(
        `<line x1="${x(t).toFixed(1)}" y1="${bottom}" x2="${x(t).toFixed(1)}" y2="${bottom + 4}" stroke="#999"/>`,
        `<text x="${x(t).toFixed(1)}" y="${bottom + 16}" text-anchor="middle" fill="#666">${label}</text>`,
      );
    }
    parts.push(
      polyline(panel.timeline, x, (p) => yDepth(p.queued), COLORS.waiting, "waiting jobs"),
      steps(panel.timeline, x, (p) => yMachines(p.desired), COLORS.desired, "desired machines"),
      steps(
        panel.timeline,
        x,
        (p) => yMachines(p.inService),
        COLORS.inService,
        "machines in service",
      ),
      panel.pooled
        ? steps(panel.timeline, x, (p) => yMachines(p.warm), COLORS.warm, "warm pool, ready")
        : "",
      `</g>`,
    );
  });
  const legendY = height - 28;
  const legend: Array<[string, string]> = [
    [COLORS.waiting, "waiting jobs = queue depth (left axis, jobs)"],
    [COLORS.desired, "desired machines (right axis)"],
    [COLORS.inService, "machines in service (right axis)"],
    [COLORS.warm, "warm pool, stopped and ready (right axis)"],
  ];
  legend.forEach(([color, label], i) => {
    const lx = MARGIN.left + i * 270;
    parts.push(
      `<line x1="${lx}" y1="${legendY - 4}" x2="${lx + 24}" y2="${legendY - 4}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${lx + 30}" y="${legendY}">${label}</text>`,
    );
  });
  parts.push(
    `<text x="${MARGIN.left}" y="${height - 8}" fill="#666">time (UTC), ${new Date(start).toISOString()} to ${new Date(end).toISOString()}; one point a control interval, each the highest of its bucket</text>`,
    "</svg>",
  );
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
      warm: Math.min(...bucket.map((p) => p.warm)),
    });
  }
  return kept;
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
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
