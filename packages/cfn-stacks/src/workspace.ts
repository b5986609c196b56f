import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "./errors.js";

/** The nearest directory at or above `start` holding pnpm-workspace.yaml. */
export function findWorkspaceRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The templates this package was published with: copied into `dist/stacks`
 * at build time, next to the bundled `bin.js`.
 */
export function bundledStacksDir(): string {
  return fileURLToPath(new URL("./stacks", import.meta.url));
}

/**
 * The stacks directory: the flag; else the enclosing workspace's `stacks/`
 * (a checkout of the repository); else the templates shipped in this package,
 * so the published tool works anywhere.
 */
export function resolveStacksDir(options: {
  flag?: string;
  cwd: string;
  bundled?: string;
}): string {
  if (options.flag) return options.flag;
  const root = findWorkspaceRoot(options.cwd);
  if (root && existsSync(join(root, "stacks"))) return join(root, "stacks");
  const bundled = options.bundled ?? bundledStacksDir();
  if (existsSync(bundled)) return bundled;
  throw new ConfigError(
    "no stacks/ directory found above the current directory, and this build ships none; pass --stacks-dir DIR",
  );
}

/** Workspace package names mapped to their directories (`packages/*`). */
export async function workspacePackages(root: string): Promise<Map<string, string>> {
  const packages = new Map<string, string>();
  const base = join(root, "packages");
  for (const entry of await readdir(base, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory()) continue;
    const dir = join(base, entry.name);
    try {
      const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
        name?: string;
      };
      if (manifest.name) packages.set(manifest.name, dir);
    } catch {
      // Not a package (no or unreadable package.json): not a Lambda source.
    }
  }
  return packages;
}
