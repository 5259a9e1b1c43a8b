import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/** The migrated template from db/test-global-setup.ts, or "" when Postgres is unreachable outside CI. */
export const pgTemplateUrl = inject("pgTemplateUrl");
const pgAdminUrl = inject("pgAdminUrl");

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file, cloned from the migrated template (fast: no migration
 * run). Dropped by `drop()`, or by the global teardown if a run is interrupted.
 */
export async function createTestDatabase({ empty = false } = {}): Promise<TestDatabase> {
  const template = new URL(pgTemplateUrl);
  const templateName = template.pathname.slice(1);
  const name = `${templateName}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  try {
    // `empty`: a database with none of our tables (template0 is Postgres's pristine template).
    const source = empty ? "template0" : templateName;
    await admin.query(
      `CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(source)}`,
    );
  } finally {
    await admin.end();
  }
  const url = new URL(pgTemplateUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 8 });
  pool.on("error", () => undefined);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      const dropper = new pg.Client({ connectionString: pgAdminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${dropper.escapeIdentifier(name)} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** Empties the provider's tables between tests that share a database. */
export async function truncateServerEventsTables(pool: pg.Pool): Promise<void> {
  await pool.query(
    "TRUNCATE server_events_subscriptions, server_events_messages, server_events_pruned_audiences, server_events_chat_messages",
  );
}
