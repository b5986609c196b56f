import { defineConfig } from "tsup";

export default defineConfig([
  // The npm package: library and CLI, dependencies installed alongside.
  {
    entry: ["src/index.ts", "src/bin.ts"],
    format: ["esm"],
    target: "node24",
    platform: "node",
    dts: { entry: "src/index.ts" },
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
    minify: true,
    treeshake: true,
    splitting: false,
    // Bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  },
]);
