import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { migrateDatabase } from "./migrate";

const adminUrl = inject("pgAdminUrl");

describe.skipIf(!inject("pgTemplateUrl"))("migrateDatabase", () => {
  it("is safe when several instances start at once", async () => {
    const name = `server_events_migrate_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const pools = Array.from({ length: 4 }, () => {
      const pool = new pg.Pool({ connectionString: url.toString() });
      // DROP … WITH (FORCE) below may still find a closing connection.
      pool.on("error", () => undefined);
      return pool;
    });
    try {
      await Promise.all(pools.map((pool) => migrateDatabase(pool)));
      const { rows } = await pools[0]!.query<{ count: string }>(
        "SELECT count(*) FROM drizzle.__drizzle_migrations",
      );
      expect(Number(rows[0]!.count)).toBeGreaterThanOrEqual(2);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
      await admin.query(`DROP DATABASE ${admin.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    }
  });
});
