import { defineConfig } from "@playwright/test";

/**
 * Browser tests against `next start` (run `npm run build` first), with Debian's Chromium.
 * E2E_BASE_URL points the suite at a server that is already running (no webServer then);
 * E2E_BASE_URL_B puts Bob on a second instance (the Postgres provider with DATABASE_URL).
 */
const PORT = Number(process.env.E2E_PORT ?? 3217);
const externalBaseUrl = process.env.E2E_BASE_URL;
// 127.0.0.1, not localhost: Auth.js redirects are kept relative (auth.ts), so the cookie survives.
const baseURL = externalBaseUrl ?? `http://127.0.0.1:${PORT}`;

export const chromiumArgs = [
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
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1, // 2 cores: the server needs the other one
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: { executablePath: "/usr/bin/chromium", args: chromiumArgs },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: externalBaseUrl
    ? undefined
    : {
        command: `node node_modules/next/dist/bin/next start -H 127.0.0.1 -p ${PORT}`,
        url: `http://127.0.0.1:${PORT}/api/auth/csrf`,
        reuseExistingServer: false,
        timeout: 90_000,
        stdout: "pipe",
        env: {
          AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-at-least-32-characters-long!!",
          AUTH_TRUST_HOST: "true",
          LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
        },
      },
});
