#!/usr/bin/env node
// Checks every published package as npm users will get it: publint (the
// package.json and files as published) and are-the-types-wrong (types that
// resolve for ESM importers). Run after `pnpm build`. Private packages
// (testkit, tsconfig, core) are never published and are skipped.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const only = process.argv.slice(2);
const packages = readdirSync(join(root, "packages"))
  .map((name) => join(root, "packages", name))
  .filter((dir) => existsSync(join(dir, "package.json")))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
  .filter(({ manifest }) => !manifest.private)
  .filter(({ manifest }) => only.length === 0 || only.includes(manifest.name));

const bin = (name) => join(root, "node_modules", ".bin", name);
const failed = [];
for (const { dir, manifest } of packages) {
  console.log(`\n=== ${manifest.name}`);
  if (!existsSync(join(dir, "dist"))) {
    console.log("no dist/: run pnpm build first");
    failed.push(`${manifest.name}: not built`);
    continue;
  }
  const checks = [
    ["publint", [bin("publint"), "run", "--strict", dir]],
    // ESM-only packages: CommonJS resolution is not expected to work.
    ["attw", [bin("attw"), "--pack", dir, "--profile", "esm-only", "--format", "ascii"]],
  ];
  for (const [name, [command, ...args]] of checks) {
    const result = spawnSync(command, args, { stdio: "inherit", cwd: dir });
    if (result.status !== 0) failed.push(`${manifest.name}: ${name}`);
  }
}
console.log(failed.length === 0 ? "\nall packages pass" : `\nfailed:\n  ${failed.join("\n  ")}`);
process.exitCode = failed.length === 0 ? 0 : 1;
