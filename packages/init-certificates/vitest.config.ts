import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

// Two lanes. `unit`: src/, no services, no root (the root's `pnpm test:unit`
// runs it for every package). `services`: test/, against real services.
// Time limits are hang guards, never budgets: tests wait for events.
export default defineConfig({
  define: { __VERSION__: JSON.stringify(version) },
  test: {
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    projects: [
      { extends: true, test: { name: "unit", include: ["src/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "services",
          include: ["test/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
        },
      },
    ],
  },
});
