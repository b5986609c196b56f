import { defineConfig } from "vitest/config";

// Unit tests only: no service is started. Network tests use in-process
// loopback servers.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
  },
});
