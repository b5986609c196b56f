import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Real: the package's own build (tsup), `npm pack --dry-run` and the built
// CLI run by node from a directory outside any checkout. No AWS call is made.
const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const shippedStacks = fileURLToPath(new URL("../../../stacks", import.meta.url));

let elsewhere: string;
beforeAll(async () => {
  await run("pnpm", ["run", "build"], { cwd: packageDir });
  elsewhere = await mkdtemp(join(tmpdir(), "cfn-stacks-elsewhere-"));
}, 120_000);
afterAll(() => rm(elsewhere, { recursive: true, force: true }));

describe("the published package", () => {
  it("ships the templates of its version in dist/stacks", async () => {
    const templates = (await readdir(shippedStacks)).filter((n) => n.endsWith(".yaml")).sort();
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json"], { cwd: packageDir });
    const [packed] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
    const shipped = packed!.files.map((f) => f.path).filter((p) => p.startsWith("dist/stacks/"));
    expect(shipped.sort()).toEqual(templates.map((t) => `dist/stacks/${t}`));
  });

  it("validates its own templates when run outside any checkout", async () => {
    const { stdout } = await run("node", [join(packageDir, "dist", "bin.js"), "validate"], {
      cwd: elsewhere,
    });
    expect(stdout).toMatch(/^\d+ template\(s\) valid: iam, machines, ops, services, vpc /);
  });
});
