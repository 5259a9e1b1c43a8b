import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "db/**/*.test.ts", "app/**/*.test.ts", "docs/**/*.test.ts"],
          // A throwaway, migrated Postgres database for `*.pg.test.ts` (dropped at the end), and
          // a check that Redis answers for `*.redis.test.ts` (each file cleans its own prefix).
          globalSetup: ["./db/test-global-setup.ts", "./lib/testing/redis-global-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["e2e/api/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
