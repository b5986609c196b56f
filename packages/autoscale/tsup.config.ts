import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: ["src/index.ts", "src/bin.ts"],
    format: ["esm"],
    target: "node24",
    platform: "node",
    // Core types are inlined too: users never see the private @restyled/core.
    dts: {
      entry: "src/index.ts",
      resolve: [/^@restyled\/core/],
      compilerOptions: { paths: { "@restyled/core/*": ["../core/src/*.ts"] } },
    },
    // The shared core is private and never published: bundle it in.
    noExternal: [/^@restyled\/core/],
    clean: true,
    sourcemap: true,
  },
  {
    // The Lambda handler: one ESM file with every dependency bundled in (the
    // AWS SDK included, so the code does not depend on the runtime's SDK version).
    entry: { index: "src/lambda.ts" },
    outDir: "dist/lambda",
    format: ["esm"],
    outExtension: () => ({ js: ".mjs" }),
    target: "node24",
    platform: "node",
    noExternal: [/.*/],
    minify: true,
    // One file: the zip holds only index.mjs, so lazy SDK chunks must be inlined.
    splitting: false,
    treeshake: true,
    // Some bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  },
]);
