import type { Pool } from "pg";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import * as schema from "./schema";

export type ServerEventsDatabase = NodePgDatabase<typeof schema>;

/** The provider's view of the pool: its own tables only. */
export function createServerEventsDatabase(pool: Pool): ServerEventsDatabase {
  return drizzle(pool, { schema });
}
