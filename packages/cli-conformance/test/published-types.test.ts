import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Every published tool bundles the private workspace packages (core, testkit)
// into its JavaScript; its type declarations must not name them either, or
// `import type` from the published package fails to resolve for its users.
const packagesDir = join(import.meta.dirname, "..", "..");
const manifests = readdirSync(packagesDir)
  .map((name) => join(packagesDir, name))
  .filter((dir) => existsSync(join(dir, "package.json")))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }));
const privateNames = manifests.filter((p) => p.manifest.private).map((p) => p.manifest.name);
const published = manifests.filter((p) => !p.manifest.private);

/** Module specifiers a declaration file imports or re-exports from. */
function importedModules(text: string): string[] {
  const specifiers = [
    ...text.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return specifiers.map((m) => m[1] ?? m[2]!);
}

describe("published type declarations", () => {
  it("finds the private packages and the published ones", () => {
    expect(privateNames).toContain("@restyled/core");
    expect(published.length).toBeGreaterThanOrEqual(6);
  });

  it("recognises a private import (the check can fail)", () => {
    const leaking =
      "import { Logger } from '@restyled/core/logger';\nexport type X = import(\"@restyled/testkit\").Y;";
    expect(importedModules(leaking)).toEqual(["@restyled/core/logger", "@restyled/testkit"]);
  });

  for (const { dir, manifest } of published) {
    it(`${manifest.name} declares no import of a private workspace package`, () => {
      const dist = join(dir, "dist");
      const declarations = readdirSync(dist).filter((f) => f.endsWith(".d.ts"));
      expect(declarations.length).toBeGreaterThan(0);
      const leaks = declarations.flatMap((file) =>
        importedModules(readFileSync(join(dist, file), "utf8"))
          .filter((m) => privateNames.some((name) => m === name || m.startsWith(`${name}/`)))
          .map((m) => `${file}: ${m}`),
      );
      expect(leaks).toEqual([]);
    });
  }
});
