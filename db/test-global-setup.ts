import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "./migrate";

declare module "vitest" {
  interface ProvidedContext {
    /** A migrated template database for `*.pg.test.ts`; "" when Postgres is unreachable (not CI). */
    pgTemplateUrl: string;
    /** Where test databases are created and dropped from. */
    pgAdminUrl: string;
  }
}

const adminUrl = process.env.PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function urlFor(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates `server_events_test_<random>`, migrates it once, and hands it to the pg tests as a
 * template (each test file clones it, so files running in parallel never share tables or NOTIFY
 * traffic). Everything created under the prefix is dropped at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prefix = `server_events_test_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    if (process.env.CI)
      throw new Error(`Postgres is required in CI for *.pg.test.ts: ${adminUrl} unreachable`, {
        cause: error,
      });
    console.warn(`[db/test-global-setup] ${adminUrl} unreachable: *.pg.test.ts will be skipped`);
    project.provide("pgTemplateUrl", "");
    project.provide("pgAdminUrl", adminUrl);
    return () => Promise.resolve();
  }
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(prefix)}`);
  const pool = new pg.Pool({ connectionString: urlFor(prefix), max: 1 });
  try {
    await migrateDatabase(pool, path.join(import.meta.dirname, "migrations"));
  } finally {
    await pool.end();
  }
  project.provide("pgTemplateUrl", urlFor(prefix));
  project.provide("pgAdminUrl", adminUrl);

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname DESC",
      [`${prefix}%`],
    );
    // Clones first (they sort after the template), then the template itself.
    for (const { datname } of rows)
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)} WITH (FORCE)`);
    await admin.end();
  };
}
