import { randomBytes } from "node:crypto";
import pg from "pg";

/** Where throwaway databases are created and dropped from (the same default as the unit tests). */
export const pgAdminUrl = process.env.PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface ThrowawayDatabase {
  name: string;
  /** The connection string for the app's `DATABASE_URL`. */
  url: string;
  /** Runs one query on the database (a short-lived connection). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** Drops it, closing whatever is still connected (idempotent). */
  drop(): Promise<void>;
}

/** Whether Postgres answers at `pgAdminUrl`: the reason when it does not. */
export async function probePostgres(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: pgAdminUrl, connectionTimeoutMillis: 3_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgAdminUrl, connectionTimeoutMillis: 5_000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates an empty `{prefix}_<random>` database (the app migrates it at start-up). */
export async function createThrowawayDatabase(
  prefix = "server_events_it",
): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      const client = new pg.Client({ connectionString: url.toString() });
      client.on("error", () => undefined);
      await client.connect();
      try {
        return await client.query<R>(text, values);
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    drop: () =>
      (dropped ??= withAdmin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      })),
  };
}
