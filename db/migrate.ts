import path from "node:path";
import type { Pool } from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";

/** Any constant shared by every instance: the advisory lock that serializes migrations. */
const MIGRATION_LOCK_KEY = 0x5345_4d47; // "SEMG"

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/**
 * Applies the committed migrations. Instances that start together wait on a session-level advisory
 * lock, so exactly one runs them and the others then find nothing to do.
 */
export async function migrateDatabase(pool: Pool, folder = migrationsFolder): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(client), { migrationsFolder: folder });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
