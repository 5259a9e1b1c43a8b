import { defineConfig } from "@playwright/test";
import { serveMode, serverCommand } from "./e2e/api/support/next-server";
import { E2E_ADMIN } from "./e2e/fixtures/admins";

/**
 * Browser tests against the production build (run `npm run build` first), with Debian's Chromium:
 * `npm start`'s Node server by default, `next start` with SERVE_MODE=next.
 * E2E_BASE_URL points the suite at a server that is already running (no webServer then);
 * E2E_BASE_URL_B puts Bob on a second instance (the Postgres provider with DATABASE_URL).
 */
const PORT = Number(process.env.E2E_PORT ?? 3217);
const externalBaseUrl = process.env.E2E_BASE_URL;
// 127.0.0.1, not localhost: Auth.js redirects are kept relative (auth.ts), so the cookie survives.
const baseURL = externalBaseUrl ?? `http://127.0.0.1:${PORT}`;
const server = serverCommand(PORT);

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export default defineConfig({
  testDir: "./e2e",
  testMatch: /.*\.spec\.ts/,
  testIgnore: ["**/api/**"],
  // Both modes render pages with the same Next handler: how they look is checked once.
  ...(serveMode() === "next" ? { grepInvert: /@rendering/u } : {}),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1, // 2 cores: the server needs the other one
  reporter: [["list"]],
  // Each mode's artifacts apart, so a run in one mode never overwrites the other's.
  outputDir: `test-results/${serveMode()}`,
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: { executablePath: "/usr/bin/chromium", args: chromiumArgs },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: externalBaseUrl
    ? undefined
    : {
        command: `"${process.execPath}" ${server.args.map((arg) => `"${arg}"`).join(" ")}`,
        url: `http://127.0.0.1:${PORT}/api/auth/csrf`,
        reuseExistingServer: false,
        timeout: 90_000,
        stdout: "pipe",
        env: {
          ...server.env,
          AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-at-least-32-characters-long!!",
          AUTH_TRUST_HOST: "true",
          ADMIN_USERS: E2E_ADMIN,
          // Every browser of the suite signs in from 127.0.0.1, a few times a test.
          AUTH_PASSWORD_CHECKS_PER_MINUTE: "600",
          LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
        },
      },
});
