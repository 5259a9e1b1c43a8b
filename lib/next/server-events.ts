import { readEnv } from "@/lib/env";
import { busObserver } from "./bus-metrics";
import { logger } from "./logger";
import { MemoryChatHistory, type ChatHistory } from "@/app/_server/chat-history";
import {
  MemoryServerEvents,
  type ServerEvents,
  type ServerEventsOptions,
} from "@/lib/server-events";

interface AppServices {
  serverEvents: ServerEvents;
  history: ChatHistory;
  /** Releases what the provider holds beyond its streams (the database pool, Redis connections). */
  close?: () => Promise<void>;
}

// Cached on globalThis so dev-server reloads reuse one provider (and one listener connection).
const globalCache = globalThis as unknown as {
  __serverEventsApp?: Promise<AppServices>;
  __serverEventsShutdownHooked?: boolean;
};

function serverEventsOptions(): ServerEventsOptions {
  const env = readEnv();
  return {
    idleTimeoutMs: env.SSE_IDLE_TIMEOUT_MS,
    heartbeatIntervalMs: env.SSE_HEARTBEAT_INTERVAL_MS,
    houseKeepingIntervalMs: env.SSE_HOUSEKEEPING_INTERVAL_MS,
    replayRetentionMs: env.SSE_REPLAY_RETENTION_MS,
    limitToAuthenticatedUsers: env.SSE_LIMIT_TO_AUTHENTICATED_USERS,
    limitRemoteControlToAuthenticatedUsers: env.SSE_LIMIT_REMOTE_CONTROL_TO_AUTHENTICATED_USERS,
    notifyChannelOfSubscriptions: env.SSE_NOTIFY_CHANNEL_OF_SUBSCRIPTIONS,
    onError: (error, subscription) =>
      logger.error({ err: error, subscriptionId: subscription?.id }, "server events error"),
  };
}

async function createAppServices(): Promise<AppServices> {
  const env = readEnv();
  // REDIS_URL wins when both are set: Redis carries the events (and sequences, chat history) and
  // DATABASE_URL keeps only the users (db/auth-store.ts reads it on its own).
  if (env.REDIS_URL) {
    // Imported only here, so other deployments never load ioredis.
    const { createRedisAppServices } = await import("./redis-app-services");
    return createRedisAppServices({
      redisUrl: env.REDIS_URL,
      keyPrefix: env.REDIS_KEY_PREFIX,
      instanceId: env.INSTANCE_ID,
      options: serverEventsOptions(),
      observer: busObserver,
    });
  }
  if (env.DATABASE_URL) {
    // Imported only here, so a memory deployment never loads pg or drizzle.
    const { createPostgresAppServices } = await import("./postgres-app-services");
    return createPostgresAppServices({
      databaseUrl: env.DATABASE_URL,
      listenUrl: env.DATABASE_LISTEN_URL,
      instanceId: env.INSTANCE_ID,
      options: serverEventsOptions(),
      observer: busObserver,
    });
  }
  const serverEvents = new MemoryServerEvents(serverEventsOptions());
  await serverEvents.start();
  return { serverEvents, history: new MemoryChatHistory() };
}

/**
 * SIGTERM/SIGINT: subscribers leave their channels (onLeave reaches the other instances), streams
 * end, the listener and pool close. `next start` closes its server on the same signals and exits
 * once the streams have ended; we exit with the same code in case it does not handle signals.
 */
function hookShutdown(services: Promise<AppServices>): void {
  if (globalCache.__serverEventsShutdownHooked) return;
  globalCache.__serverEventsShutdownHooked = true;
  const shutdown = (signal: NodeJS.Signals) => {
    void (async () => {
      try {
        const { serverEvents, close } = await services;
        await serverEvents.stop({ notify: true });
        await close?.();
      } catch (error) {
        logger.error({ err: error }, "shutdown failed");
      } finally {
        process.exit(signal === "SIGINT" ? 130 : 143);
      }
    })();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

/**
 * The process-wide provider: Redis when REDIS_URL is set, else Postgres when DATABASE_URL is set,
 * else memory.
 */
export function getAppServices(): Promise<AppServices> {
  if (!globalCache.__serverEventsApp) {
    const services = createAppServices().catch((error: unknown) => {
      globalCache.__serverEventsApp = undefined;
      throw error;
    });
    globalCache.__serverEventsApp = services;
    services.then(
      () => hookShutdown(services),
      () => undefined,
    );
  }
  return globalCache.__serverEventsApp;
}

export async function getServerEvents(): Promise<ServerEvents> {
  return (await getAppServices()).serverEvents;
}
