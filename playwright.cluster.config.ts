import { defineConfig } from "@playwright/test";
import { clusterPorts } from "./e2e/cluster/ports";
import type { PeopleOptions } from "./e2e/fixtures/users";
import base from "./playwright.config";
import { serveMode } from "./e2e/api/support/next-server";

/**
 * The chat, shapes, admin and account specs again, on the Postgres provider with the two users on two instances:
 * global setup creates a throwaway database and starts the app twice (A for Alice and the
 * guest, B for Bob), so every message, presence change and canvas update crosses instances.
 * SERVE_MODE chooses the server as for the other suites (`npm start`'s Node server by default).
 * Run `npm run build` first; needs PostgreSQL at PG_ADMIN_URL (default 127.0.0.1:5432).
 */
const { portA, portB } = clusterPorts();

export default defineConfig<PeopleOptions>({
  ...base,
  // screenshots.spec.ts only with E2E_SCREENSHOTS set: the dashboard then shows both instances.
  testMatch: [
    "**/chat.spec.ts",
    "**/shapes.spec.ts",
    "**/admin.spec.ts",
    "**/account.spec.ts",
    "**/screenshots.spec.ts",
  ],
  outputDir: `test-results/cluster-run-${serveMode()}`,
  webServer: undefined,
  globalSetup: "./e2e/cluster/global-setup.ts",
  use: {
    ...base.use,
    baseURL: `http://127.0.0.1:${portA}`,
    bobBaseURL: `http://127.0.0.1:${portB}`,
  },
});
