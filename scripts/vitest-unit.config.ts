// `pnpm test:unit`: every package's unit lane (src/**/*.test.ts) in one vitest
// run, with no global setup: no root, no Debian packages, no services, no build.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));
const packages = readdirSync(join(root, "packages")).filter((name) =>
  existsSync(join(root, "packages", name, "src")),
);

export default defineConfig({
  test: {
    root,
    projects: packages.map((name) => ({
      test: {
        name: `${name}:unit`,
        root: join(root, "packages", name),
        include: ["src/**/*.test.ts"],
        // Hang guards, not budgets.
        testTimeout: 300_000,
        hookTimeout: 300_000,
      },
    })),
  },
});
