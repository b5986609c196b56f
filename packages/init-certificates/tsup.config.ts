import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

export default defineConfig({
  entry: ["src/index.ts", "src/bin.ts"],
  format: ["esm"],
  target: "node24",
  platform: "node",
  // Core types are inlined too: consumers never see @restyled/core.
  dts: {
    entry: "src/index.ts",
    resolve: [/^@restyled\/core/],
    compilerOptions: { paths: { "@restyled/core/*": ["../core/src/*.ts"] } },
  },
  clean: true,
  sourcemap: true,
  // The shared core is a private workspace package: bundled, never a runtime dependency.
  noExternal: [/^@restyled\/core/],
  // `--version` prints the version this build was published as.
  define: { __VERSION__: JSON.stringify(version) },
});
