import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createThrowawayDatabase, pgAdminUrl, probePostgres } from "../api/support/database";
import {
  projectRoot,
  serveMode,
  startNextServer,
  type NextServer,
} from "../api/support/next-server";
import { isBehindNginx } from "../api/support/nginx";
import { E2E_ADMIN } from "../fixtures/admins";
import { clusterPorts } from "./ports";

/**
 * Two app instances on one throwaway Postgres database: A (Alice, the guest) and B (Bob), each
 * `npm start`'s Node server or, with SERVE_MODE=next, `next start`. Both share AUTH_SECRET and the users table, so signing in on either origin works. The returned
 * function is Playwright's global teardown: it stops both and drops the database.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const postgres = await probePostgres();
  if (!postgres.ok)
    throw new Error(
      `The cluster e2e run needs PostgreSQL at ${pgAdminUrl} (set PG_ADMIN_URL): ${postgres.reason}`,
    );
  const { portA, portB } = clusterPorts();
  const database = await createThrowawayDatabase("server_events_e2e");
  const env = {
    DATABASE_URL: database.url,
    AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-at-least-32-characters-long!!",
    AUTH_TRUST_HOST: "true",
    ADMIN_USERS: E2E_ADMIN,
    // Every browser of the suite signs in from 127.0.0.1, a few times a test.
    AUTH_PASSWORD_CHECKS_PER_MINUTE: "600",
    SSE_HOUSEKEEPING_INTERVAL_MS: "1000",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  };
  const servers: NextServer[] = [];
  const teardown = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await saveLogs(servers);
    await database.drop();
  };
  try {
    // Both at once, as a rolling deploy would: start-up migrations take an advisory lock.
    const started = await Promise.allSettled([
      startNextServer({ env: { ...env, INSTANCE_ID: "e2e-a" }, port: portA }),
      startNextServer({ env: { ...env, INSTANCE_ID: "e2e-b" }, port: portB }),
    ]);
    for (const result of started) if (result.status === "fulfilled") servers.push(result.value);
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  } catch (error) {
    await teardown();
    throw error;
  }
  const [a, b] = servers as [NextServer, NextServer];
  process.env.E2E_BASE_URL = a.baseUrl;
  process.env.E2E_BASE_URL_B = b.baseUrl;
  const via = isBehindNginx() ? " (each through nginx, compose.yaml's configuration)" : "";
  console.log(`cluster: A ${a.baseUrl}, B ${b.baseUrl}${via}, database ${database.name}`);
  return teardown;
}

/** What each instance printed, for diagnosing a failed run (test-results/cluster-run-<mode>/*.log). */
async function saveLogs(servers: readonly NextServer[]): Promise<void> {
  const dir = path.join(projectRoot, "test-results", `cluster-run-${serveMode()}`);
  await mkdir(dir, { recursive: true });
  await Promise.all(
    servers.map((server) =>
      writeFile(path.join(dir, `${serveMode()}-${server.port}.log`), server.output()),
    ),
  );
}
