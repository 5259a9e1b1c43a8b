// `npm run db:migrate`: applies db/migrations to DATABASE_URL. Plain JavaScript so it runs on
// Node 20 without a TypeScript loader; the app does the same at start-up (db/migrate.ts).
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";

const MIGRATION_LOCK_KEY = 0x5345_4d47; // keep in sync with db/migrate.ts

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set");
  process.exit(1);
}

const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  // Serialized with instances migrating at start-up.
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  await migrate(drizzle(client), {
    migrationsFolder: path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      "..",
      "db",
      "migrations",
    ),
  });
  console.log("migrations applied");
} finally {
  await client.end();
}
