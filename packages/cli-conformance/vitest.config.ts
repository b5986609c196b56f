import { defineConfig } from "vitest/config";

// No service is started: the test spawns the six built bins (turbo builds
// them first: they are devDependencies) with every endpoint on loopback.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Hang guards only: each cell spawns a bundled CLI, slow on a busy machine.
    testTimeout: 120_000,
    // Cells run a few at a time (it.concurrent); each has its own sandbox and ports.
    maxConcurrency: 4,
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
  },
});
