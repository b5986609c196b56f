import { defineConfig } from "vitest/config";

// One lane, unit-style: no service and no global setup. It spawns the six
// built bins (devDependencies, so turbo's `test` builds them first) with every
// endpoint on loopback; it has no src/, so the root's no-build unit run skips it.
// Time limits are hang guards, never budgets.
export default defineConfig({
  test: {
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Cells run a few at a time (it.concurrent); each has its own sandbox and ports.
    maxConcurrency: 4,
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    projects: [{ extends: true, test: { name: "unit", include: ["test/**/*.test.ts"] } }],
  },
});
