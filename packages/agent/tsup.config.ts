import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/bin.ts"],
  format: ["esm"],
  target: "node24",
  platform: "node",
  // Core is bundled, so its types are too: a published .d.ts cannot name a private package.
  dts: {
    entry: "src/index.ts",
    resolve: [/^@restyled\/core/],
    compilerOptions: { paths: { "@restyled/core/*": ["./node_modules/@restyled/core/src/*"] } },
  },
  clean: true,
  sourcemap: true,
  // The AWS SDK clients are bundled and tree-shaken to the few commands the
  // agent sends: loading the whole packages costs ~20 MB of resident memory on
  // an idle machine. Nothing stays external: the Docker Engine API client is
  // the agent's own (src/docker/engine-api.ts), not dockerode.
  // @restyled/core is the shared plumbing, bundled into every tool.
  noExternal: [/^@aws-sdk\//, /^@smithy\//, /^@aws-crypto\//, /^@aws\//, /^@restyled\/core/],
  // Bundled CommonJS code calls require() for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
