import { cp, mkdir, readdir } from "node:fs/promises";
import { defineConfig } from "tsup";

export default defineConfig({
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
  clean: true,
  sourcemap: true,
  // The shared core is private and unbuilt: bundled in, so the package stays one install.
  noExternal: [/^@restyled\/core/],
  // The published tool carries the templates of its own version (dist/stacks),
  // so it deploys without a checkout. Parameter files stay the operator's.
  async onSuccess() {
    await mkdir("dist/stacks", { recursive: true });
    for (const name of await readdir("../../stacks")) {
      if (name.endsWith(".yaml")) await cp(`../../stacks/${name}`, `dist/stacks/${name}`);
    }
  },
});
