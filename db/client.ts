import { Pool } from "pg";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import * as schema from "./schema";

export type Database = NodePgDatabase<typeof schema>;

// Cached on globalThis so dev-server reloads reuse one pool instead of opening another.
const globalCache = globalThis as unknown as { __serverEventsPools?: Map<string, Pool> };

/** The process-wide pool for `url`. The LISTEN connection is separate (see postgres-listener.ts). */
export function getPool(url: string): Pool {
  const pools = (globalCache.__serverEventsPools ??= new Map<string, Pool>());
  let pool = pools.get(url);
  if (!pool) {
    pool = new Pool({ connectionString: url, max: 10 });
    pools.set(url, pool);
  }
  return pool;
}

export function createDatabase(pool: Pool): Database {
  return drizzle(pool, { schema });
}

/** Ends the cached pool for `url` (graceful shutdown). */
export async function closePool(url: string): Promise<void> {
  const pool = globalCache.__serverEventsPools?.get(url);
  globalCache.__serverEventsPools?.delete(url);
  await pool?.end();
}
