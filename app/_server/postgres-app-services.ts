import { closePool, createDatabase, getPool } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import type { ServerEventsOptions } from "@/lib/server-events";
import type { BusObserver } from "@/lib/server-events-cluster";
import { PostgresChatHistory } from "@/app/_server/postgres-chat-history";
import { PostgresServerEvents } from "@/lib/server-events-postgres";

export interface PostgresAppConfig {
  databaseUrl: string;
  /** A direct connection for LISTEN when `databaseUrl` goes through a transaction pooler. */
  listenUrl?: string | undefined;
  instanceId?: string | undefined;
  options: ServerEventsOptions;
  /** Batch sizes and commit times (lib/next/bus-metrics.ts feeds them to /metrics). */
  observer?: BusObserver | undefined;
}

/**
 * What the app needs when `DATABASE_URL` is set: migrations applied (once, whichever instance gets
 * the advisory lock first), the provider started, the chat history, and a `close` for shutdown.
 */
export async function createPostgresAppServices(config: PostgresAppConfig) {
  const pool = getPool(config.databaseUrl);
  pool.on("error", (error) => config.options.onError?.(error));
  await migrateDatabase(pool);
  const serverEvents = new PostgresServerEvents(config.options, {
    pool,
    instanceId: config.instanceId,
    observer: config.observer,
    listenerClient: config.listenUrl ? { connectionString: config.listenUrl } : undefined,
  });
  await serverEvents.start();
  return {
    serverEvents,
    history: new PostgresChatHistory(createDatabase(pool)),
    close: () => closePool(config.databaseUrl),
  };
}
