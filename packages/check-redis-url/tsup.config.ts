import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
// `--version` prints the version this build was published as.
const define = { __VERSION__: JSON.stringify(version) };

export default defineConfig([
  // The npm package: library and CLI, dependencies installed alongside.
  {
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
    define,
    // The shared core is private: bundled, never a runtime dependency.
    noExternal: [/^@restyled\/core/],
    clean: false, // the build script empties dist: two configs share it
    sourcemap: true,
  },
  // The Lambda: one self-contained file (the runtime's bundled SDK version is
  // not ours to pick), zipped by the build script.
  {
    entry: { index: "src/lambda.ts" },
    outDir: "dist/lambda",
    outExtension: () => ({ js: ".mjs" }),
    format: ["esm"],
    target: "node24",
    platform: "node",
    noExternal: [/.*/],
    define,
    minify: true,
    treeshake: true,
    splitting: false,
    // Bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  },
]);
