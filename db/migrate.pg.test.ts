import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { migrateDatabase, migrationsFolder } from "./migrate";

const adminUrl = inject("pgAdminUrl");

/** A throwaway database, its URL, and a pool on it; `drop()` removes it. */
async function throwawayDatabase(poolSize = 1) {
  const name = `server_events_migrate_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pools = Array.from({ length: poolSize }, () => {
    const pool = new pg.Pool({ connectionString: url.toString() });
    // DROP … WITH (FORCE) below may still find a closing connection.
    pool.on("error", () => undefined);
    return pool;
  });
  return {
    pools,
    async drop() {
      await Promise.all(pools.map((pool) => pool.end()));
      await admin.query(`DROP DATABASE ${admin.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** A copy of the migrations folder holding only the first `count`: a database from back then. */
function earlyMigrations(count: number): string {
  const folder = mkdtempSync(path.join(tmpdir(), "migrations-"));
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalFile = path.join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

describe.skipIf(!inject("pgTemplateUrl"))("migrateDatabase", () => {
  it("is safe when several instances start at once", async () => {
    const database = await throwawayDatabase(4);
    try {
      await Promise.all(database.pools.map((pool) => migrateDatabase(pool)));
      const { rows } = await database.pools[0]!.query<{ count: string }>(
        "SELECT count(*) FROM drizzle.__drizzle_migrations",
      );
      expect(Number(rows[0]!.count)).toBeGreaterThanOrEqual(2);
    } finally {
      await database.drop();
    }
  });

  it("renames the accounts an older database holds that today's name rules refuse", async () => {
    const database = await throwawayDatabase();
    const [pool] = database.pools;
    const early = earlyMigrations(2);
    try {
      await migrateDatabase(pool!, early);
      await pool!.query(
        `INSERT INTO server_events_users (id, name, password_hash, created_at) VALUES
           ('a1a1a1a1-0000', 'Alice', 'x', '2026-01-01'),
           ('b2b2b2b2-0000', 'alice', 'x', '2026-01-02'),
           ('c3c3c3c3-0000', 'user3', 'x', '2026-01-03'),
           ('d4d4d4d4-0000', 'bob', 'x', '2026-01-04'),
           -- Someone who saw user3's id took the name it would be given.
           ('e5e5e5e5-0000', 'User3-C3C3', 'x', '2026-01-05')`,
      );
      await migrateDatabase(pool!);
      const { rows } = await pool!.query<{ name: string }>(
        "SELECT name FROM server_events_users ORDER BY created_at",
      );
      // The oldest keeps its name; the names now pass the rules and the case-blind unique index,
      // and a name already taken gets a counter.
      expect(rows.map((row) => row.name)).toEqual([
        "Alice",
        "alice-b2b2b2b2",
        "user3-c3c31",
        "bob",
        "User3-C3C3",
      ]);
      await expect(
        pool!.query("INSERT INTO server_events_users (name, password_hash) VALUES ('BOB', 'x')"),
      ).rejects.toThrow(/server_events_users_name_lower_unique/u);
    } finally {
      rmSync(early, { recursive: true, force: true });
      await database.drop();
    }
  });
});
