import { hostname } from "node:os";
import { env } from "@/lib/env";
import { busObserver } from "@/lib/next/bus-metrics";
import { avatarUrl } from "@/lib/next/avatars";
import { endpointPaths } from "@/lib/next/endpoint-paths";
import { beginDraining, inFlightSettled, setStartupProblem } from "@/lib/next/lifecycle";
import { logger } from "@/lib/next/logger";
import { isNodeServer } from "@/lib/next/serve-mode";
import { MemoryChatHistory, type ChatHistory } from "@/app/_server/chat-history";
import { followCredentialChanges } from "@/app/_server/credential-changes";
import { getCredentialVersions } from "@/db/credential-versions";
import { AdminMonitor, type LocalInstance } from "@/lib/admin/admin-monitor";
import {
  describeError,
  MemoryServerEvents,
  type ServerEvents,
  type ServerEventsOptions,
} from "@/lib/server-events";

interface ProviderServices {
  serverEvents: ServerEvents;
  /** The streams this process holds: the provider itself in memory, its local half in a cluster. */
  local: LocalInstance;
  /** This process's name in the cluster (and on the admin dashboard). */
  instanceId: string;
  history: ChatHistory;
  /** Releases what the provider holds beyond its streams (the database pool, Redis connections). */
  close?: () => Promise<void>;
}

interface AppServices extends ProviderServices {
  /** Reports this instance to the admin channel and keeps the cluster's numbers for /admin. */
  monitor: AdminMonitor;
}

// Cached on globalThis so dev-server reloads reuse one provider (and one listener connection).
const globalCache = globalThis as unknown as {
  __serverEventsApp?: Promise<AppServices>;
  __serverEventsShutdownHooked?: boolean;
};

function serverEventsOptions(): ServerEventsOptions {
  return {
    idleTimeoutMs: env.SSE_IDLE_TIMEOUT_MS,
    heartbeatIntervalMs: env.SSE_HEARTBEAT_INTERVAL_MS,
    houseKeepingIntervalMs: env.SSE_HOUSEKEEPING_INTERVAL_MS,
    replayRetentionMs: env.SSE_REPLAY_RETENTION_MS,
    limitToAuthenticatedUsers: env.SSE_LIMIT_TO_AUTHENTICATED_USERS,
    limitRemoteControlToAuthenticatedUsers: env.SSE_LIMIT_REMOTE_CONTROL_TO_AUTHENTICATED_USERS,
    // The chat's TV loads any image, video or YouTube URL in every viewer's page, revealing their
    // addresses to that site: it is remote control too.
    remoteControlOps: ["window", "document", "css", "tv"],
    notifyChannelOfSubscriptions: env.SSE_NOTIFY_CHANNEL_OF_SUBSCRIPTIONS,
    ...endpointPaths(env),
    profileUrlOf: avatarUrl,
    maxStreamDurationMs: env.SSE_MAX_STREAM_DURATION_MS ?? null,
    endOfStreamRetryMs: env.SSE_END_OF_STREAM_RETRY_MS,
    presenceFlushMs: env.SSE_PRESENCE_FLUSH_MS,
    onError: (error, subscription) =>
      logger.error({ err: error, subscriptionId: subscription?.id }, "server events error"),
  };
}

async function createAppServices(): Promise<AppServices> {
  const services = await createProviderServices();
  const monitor = new AdminMonitor({
    events: services.serverEvents,
    local: services.local,
    instanceId: services.instanceId,
    onError: (error) => logger.warn({ err: error }, "admin monitor"),
  });
  monitor.start();
  // A password changed on another instance ends the account's older sessions here at once.
  followCredentialChanges(services.serverEvents, getCredentialVersions());
  return { ...services, monitor };
}

async function createProviderServices(): Promise<ProviderServices> {
  // REDIS_URL wins when both are set: Redis carries the events (and sequences, chat history) and
  // DATABASE_URL keeps only the users (db/auth-store.ts reads it on its own).
  if (env.REDIS_URL) {
    // Imported only here, so other deployments never load ioredis.
    const { createRedisAppServices } = await import("./redis-app-services");
    const services = await createRedisAppServices({
      redisUrl: env.REDIS_URL,
      keyPrefix: env.REDIS_KEY_PREFIX,
      instanceId: env.INSTANCE_ID,
      options: serverEventsOptions(),
      observer: busObserver,
    });
    const { local, instanceId } = services.serverEvents;
    return { ...services, local, instanceId };
  }
  if (env.DATABASE_URL) {
    // Imported only here, so a memory deployment never loads pg or the Postgres provider.
    const { createPostgresAppServices } = await import("./postgres-app-services");
    const services = await createPostgresAppServices({
      databaseUrl: env.DATABASE_URL,
      listenUrl: env.DATABASE_LISTEN_URL,
      instanceId: env.INSTANCE_ID,
      options: serverEventsOptions(),
      observer: busObserver,
    });
    const { local, instanceId } = services.serverEvents;
    return { ...services, local, instanceId };
  }
  const serverEvents = new MemoryServerEvents(serverEventsOptions());
  await serverEvents.start();
  return {
    serverEvents,
    local: serverEvents,
    instanceId: env.INSTANCE_ID ?? `${hostname()}:${process.pid}`,
    history: new MemoryChatHistory(),
  };
}

/**
 * SIGTERM/SIGINT, a rolling restart: new streams get 503 (the proxy or the client goes to another
 * instance), publishes already running finish, then every stream ends with a `retry:` hint while
 * its subscriber leaves cluster-wide (onLeave reaches the other instances), and the pool closes.
 * The process exits when that is done, or at the `SSE_SHUTDOWN_TIMEOUT_MS` deadline. `next start`
 * closes its own server on the same signals and exits once the streams have ended.
 */
function hookShutdown(): void {
  if (globalCache.__serverEventsShutdownHooked) return;
  globalCache.__serverEventsShutdownHooked = true;
  const shutdown = (signal: NodeJS.Signals) => {
    if (!beginDraining()) return;
    const exitCode = signal === "SIGINT" ? 130 : 143;
    const timeoutMs = env.SSE_SHUTDOWN_TIMEOUT_MS;
    setTimeout(() => {
      logger.warn({ timeoutMs }, "shutdown deadline reached: exiting");
      process.exit(exitCode);
    }, timeoutMs).unref();
    logger.info({ signal }, "shutting down: refusing new streams, draining");
    void (async () => {
      const began = performance.now();
      const phases: Record<string, number> = {};
      const lap = (phase: string) => (phases[phase] = Math.round(performance.now() - began));
      try {
        await inFlightSettled(timeoutMs / 2);
        lap("requestsSettledMs");
        const services = await globalCache.__serverEventsApp?.catch(() => undefined);
        services?.monitor.stop();
        // `next start` exits once its connections close: there the streams end last.
        const nextOwnsExit = !isNodeServer() && !process.env.NEXT_MANUAL_SIG_HANDLE;
        await services?.serverEvents.stop({ notify: true, keepStreamsUntilLeft: nextOwnsExit });
        lap("streamsEndedMs");
        // Requests that came on connections kept alive meanwhile finish before the pool closes.
        await inFlightSettled(timeoutMs / 4);
        await services?.close?.();
        lap("closedMs");
        logger.info(phases, "shutdown complete");
      } catch (error) {
        logger.error({ err: error }, "shutdown failed");
      } finally {
        process.exit(exitCode);
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
    hookShutdown();
  }
  return globalCache.__serverEventsApp;
}

export async function getServerEvents(): Promise<ServerEvents> {
  return (await getAppServices()).serverEvents;
}

/**
 * The provider if it is up (or starting), without starting one: `/metrics` during a database
 * outage must answer with what it has, not fail with the start it set off.
 */
export async function startedServerEvents(): Promise<ServerEvents | undefined> {
  return (await globalCache.__serverEventsApp?.catch(() => undefined))?.serverEvents;
}

/**
 * Starts the provider now and, while its database or Redis is unreachable, again with a growing
 * delay (up to 10 s) until it starts: the instance serves `/healthz` meanwhile and `/readyz`
 * turns 200 once it is up, with no restart.
 */
export function startAppServicesInBackground(attempt = 0): void {
  getAppServices().then(
    () => {
      setStartupProblem(undefined);
      if (attempt > 0) logger.info({ attempts: attempt + 1 }, "provider started");
    },
    (error: unknown) => {
      const reason = describeError(error);
      setStartupProblem(`the provider cannot start: ${reason}`);
      const delayMs = Math.min(10_000, 500 * 2 ** attempt);
      logger.warn({ reason, retryInMs: delayMs }, "provider not started; retrying");
      setTimeout(() => startAppServicesInBackground(attempt + 1), delayMs).unref();
    },
  );
}
