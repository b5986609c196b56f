import { defineConfig, type Options } from "tsup";

type Plugin = NonNullable<Options["esbuildPlugins"]>[number];

// In the Lambda bundle the SSM client is a file of its own, loaded only when
// the key is read from SSM: the handler module alone loads in a fraction of
// the time (bench/cold-start.bench.mjs measures it).
const ssmClientAsSeparateFile: Plugin = {
  name: "ssm-client-as-separate-file",
  setup(build) {
    // Ours, and the shared core's readParameter, which loads the SDK package itself.
    build.onResolve({ filter: /\/ssm-client\.js$|^@aws-sdk\/client-ssm$/ }, (args) =>
      args.kind === "dynamic-import" ? { path: "./ssm-client.mjs", external: true } : undefined,
    );
  },
};

export default defineConfig([
  {
    entry: ["src/index.ts", "src/bin.ts"],
    format: ["esm"],
    target: "node24",
    platform: "node",
    // Core types are inlined too: consumers never see the private @restyled/core.
    dts: {
      entry: "src/index.ts",
      resolve: [/^@restyled\/core/],
      compilerOptions: { paths: { "@restyled/core/*": ["../core/src/*.ts"] } },
    },
    // The shared core is bundled in, never a dependency of the published package.
    noExternal: [/^@restyled\/core/],
    clean: true,
    sourcemap: true,
  },
  {
    // The Lambda handler: self-contained ESM (the AWS SDK SSM client bundled
    // too, so the code does not depend on whichever SDK the runtime ships),
    // zipped with its size budget by the build script.
    entry: { index: "src/lambda.ts", "ssm-client": "src/ssm-client.ts" },
    outDir: "dist/lambda",
    outExtension: () => ({ js: ".mjs" }),
    format: ["esm"],
    target: "node24",
    platform: "node",
    noExternal: [/.*/],
    esbuildPlugins: [ssmClientAsSeparateFile],
    minify: true,
    splitting: false,
    treeshake: true,
    clean: true,
    sourcemap: false,
  },
]);
