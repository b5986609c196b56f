/**
 * What the operator reads on stdout: tables, change sets, stack events.
 * Logs go to stderr through the logger; this is the human-facing channel.
 */
export interface Output {
  line(text?: string): void;
}

export function createOutput(
  write: (text: string) => void = (t) => process.stdout.write(t),
): Output {
  return { line: (text = "") => write(`${text}\n`) };
}

/** An Output that keeps what was printed, for tests. */
export function captureOutput(): Output & { lines: string[]; text(): string } {
  const lines: string[] = [];
  return { lines, line: (text = "") => lines.push(text), text: () => lines.join("\n") };
}

/** Lays rows out in columns separated by two spaces, the header underlined. */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const pad = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [pad(header), pad(widths.map((w) => "-".repeat(w))), ...rows.map(pad)];
}
