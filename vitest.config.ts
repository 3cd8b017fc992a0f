import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores on CI: forks keep native re2 and child processes isolated.
    pool: "forks",
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
  },
});
