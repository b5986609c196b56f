import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { type Cell, type Delivery, INPUTS, TOOLS, type Tool } from "./matrix.js";
import { type BinResult, createSandbox, FAKE_SECRET_KEY, runBin, SECRET } from "./sandbox.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The built bin of a workspace tool (a devDependency, so turbo builds it first). */
function binPath(tool: Tool): string {
  const dir = join(packageDir, "node_modules", ...tool.pkg.split("/"));
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    bin: Record<string, string>;
  };
  const relative = manifest.bin[tool.bin];
  if (!relative) throw new Error(`${tool.pkg} has no bin ${tool.bin}`);
  const path = join(dir, relative);
  if (!existsSync(path)) throw new Error(`${path} is missing: run pnpm build first`);
  return path;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const isDelivery = (cell: Cell): cell is Delivery => !("na" in cell);

/** What each cell did, for the table printed at the end. */
const observed = new Map<string, string>();
const key = (tool: Tool, input: string) => `${tool.bin}|${input}`;

function summary(result: BinResult): string {
  const lines = result.stderr.trimEnd().split("\n");
  return `exit ${result.code ?? result.signal}, ${lines.length} line(s): ${lines[0]?.slice(0, 90)}`;
}

describe.each(TOOLS)("$bin", (tool) => {
  const cases = INPUTS.map((input) => ({ input, cell: tool.cells[input.id] }));

  it.concurrent.each(cases)("$input.title", async ({ input, cell: given }) => {
    const sandbox = await createSandbox();
    try {
      const cell = typeof given === "function" ? given(sandbox) : given;
      if (!isDelivery(cell)) {
        // Not silently skipped: the reason is part of the matrix.
        expect(cell.na.length).toBeGreaterThan(10);
        observed.set(key(tool, input.id), `n/a: ${cell.na}`);
        return;
      }
      const base = tool.base(sandbox);
      const env = { ...sandbox.env, ...base.env, ...cell.env };
      for (const name of cell.unset ?? []) delete env[name];
      const result = await runBin(binPath(tool), [...base.argv, ...(cell.argv ?? [])], {
        env,
        cwd: sandbox.dir,
        hangGuardMs: 240_000,
      });
      observed.set(key(tool, input.id), `✗ ${summary(result)}`);

      const report = `${tool.bin} ${input.title}:\n${result.stderr}`;
      expect(result.code, report).toBe(input.code);
      expect(result.stderr.endsWith("\n"), report).toBe(true);
      const lines = result.stderr.trimEnd().split("\n");
      expect(lines, report).toHaveLength(1);
      const line = lines[0]!;
      const shape =
        input.id === "missing-region"
          ? new RegExp(`^${escapeRegExp(tool.bin)}: \\S.*\\b${escapeRegExp(cell.names)}\\b`)
          : new RegExp(`^${escapeRegExp(tool.bin)}: ${escapeRegExp(cell.names)}: \\S`);
      expect(line, report).toMatch(shape);
      expect(line, "a stack frame").not.toMatch(/\bat .+:\d+:\d+/);
      for (const secret of [SECRET, FAKE_SECRET_KEY]) {
        expect(result.stderr + result.stdout, "a secret was echoed").not.toContain(secret);
      }
      expect(sandbox.loopback.connections(), "an AWS or service call was attempted").toBe(0);
      expect(result.stderr, "the remote http URL was looked up").not.toMatch(/ENOTFOUND|EAI_AGAIN/);
      if (!cell.imds) {
        expect(sandbox.imds.connections(), "the instance metadata was asked").toBe(0);
      }
      observed.set(key(tool, input.id), `✓ ${summary(result)}`);
    } finally {
      await sandbox.dispose();
    }
  });
});

afterAll(() => {
  const header = ["input", ...TOOLS.map((tool) => tool.bin)];
  const rows = INPUTS.map((input) => [
    `${input.title} → ${input.code}`,
    ...TOOLS.map((tool) => {
      const seen = observed.get(key(tool, input.id));
      if (seen === undefined) return "(not run)";
      if (seen.startsWith("n/a")) return "n/a";
      return seen.startsWith("✓") ? `${input.code} ✓` : seen;
    }),
  ]);
  const table = [header, header.map(() => "---"), ...rows].map((row) => `| ${row.join(" | ")} |`);
  // The matrix itself is the output a reader wants: one table, tools across.
  process.stdout.write(`\nCLI behaviour matrix\n${table.join("\n")}\n`);
  for (const [cell, seen] of observed) {
    if (!seen.startsWith("n/a")) process.stdout.write(`  ${cell}: ${seen}\n`);
  }
});
