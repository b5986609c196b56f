// The --help text, generated from an option table.
import type { AnyOptionRow } from "./options.js";
import { boolean } from "./parsers.js";

export interface HelpOptions {
  /** One or more usage lines, without the "Usage:" prefix. */
  usage: string | string[];
  /** What the tool does, a paragraph. */
  description?: string;
  /** Lines after the options (exit codes, files written…). */
  footer?: string;
  /** The flags that print the version (default `--version`); `[]` hides the line. */
  versionFlags?: string[];
}

const LEFT = 32;

/** Renders `--help` from a table: flags, variables, defaults, required, and the grammars used. */
export function formatHelp(rows: readonly AnyOptionRow[], options: HelpOptions): string {
  const usage = Array.isArray(options.usage) ? options.usage : [options.usage];
  const lines = [usage.length === 1 ? `Usage: ${usage[0]}` : "Usage:"];
  if (usage.length > 1) lines.push(...usage.map((line) => `  ${line}`));
  if (options.description) lines.push("", options.description);

  const flagRows = rows.filter((row) => row.flag);
  const envRows = rows.filter((row) => !row.flag && row.env);
  lines.push("", "Options:");
  for (const row of flagRows) lines.push(...formatRow(flagColumn(row), row));
  lines.push(...formatRow("-h, --help", { description: "show this help" }));
  const versionFlags = options.versionFlags ?? ["--version"];
  if (versionFlags.length > 0) {
    const column = versionFlags
      .slice()
      .sort((a, b) => a.length - b.length)
      .join(", ");
    lines.push(
      ...formatRow(column.startsWith("--") ? `    ${column}` : column, {
        description: "show the version",
      }),
    );
  }
  if (envRows.length > 0) {
    lines.push("", "Environment:");
    for (const row of envRows) lines.push(...formatRow(row.env!, row));
  }
  const hints = new Set<string>();
  for (const row of rows) if (row.parse.hint) hints.add(row.parse.hint);
  if (rows.some((row) => row.parse === boolean && row.env)) {
    hints.add("Booleans in variables: true/false, 1/0, yes/no, on/off.");
  }
  if (hints.size > 0) lines.push("", ...hints);
  if (options.footer) lines.push("", options.footer);
  return `${lines.join("\n")}\n`;
}

function flagColumn(row: AnyOptionRow): string {
  const name = row.metavar ?? row.parse.metavar;
  const metavar = name ? ` ${name}` : "";
  const long = `--${row.flag}${metavar}`;
  return row.short ? `-${row.short}, ${long}` : `    ${long}`;
}

function formatRow(
  left: string,
  row: Pick<AnyOptionRow, "description"> & Partial<AnyOptionRow>,
): string[] {
  const notes: string[] = [];
  if (row.flag && row.env) notes.push(`[${row.env}]`);
  if (row.required) notes.push("(required)");
  if (row.default !== undefined && !row.secret) notes.push(`(default: ${row.default})`);
  if (row.multiple) notes.push("(repeatable)");
  const text = [row.description, ...notes].join(" ");
  const column = `  ${left}`;
  if (column.length <= LEFT - 2) return [`${column.padEnd(LEFT)}${text}`];
  return [column, `${" ".repeat(LEFT)}${text}`];
}
