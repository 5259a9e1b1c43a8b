import { readEnv } from "@/lib/env";
import { MemoryChatHistory, type ChatHistory } from "@/lib/demo-services/chat-history";
import {
  MemoryServerEvents,
  type ServerEvents,
  type ServerEventsOptions,
} from "@/lib/server-events";

interface AppServices {
  serverEvents: ServerEvents;
  history: ChatHistory;
}

// Cached on globalThis so dev-server reloads reuse one provider (and one database listener).
const globalCache = globalThis as unknown as { __serverEventsApp?: Promise<AppServices> };

function serverEventsOptions(): ServerEventsOptions {
  const env = readEnv();
  return {
    idleTimeoutMs: env.SSE_IDLE_TIMEOUT_MS,
    heartbeatIntervalMs: env.SSE_HEARTBEAT_INTERVAL_MS,
    replayRetentionMs: env.SSE_REPLAY_RETENTION_MS,
    limitToAuthenticatedUsers: env.SSE_LIMIT_TO_AUTHENTICATED_USERS,
  };
}

async function createAppServices(): Promise<AppServices> {
  const serverEvents = new MemoryServerEvents(serverEventsOptions());
  await serverEvents.start();
  return { serverEvents, history: new MemoryChatHistory() };
}

/** The process-wide provider: memory by default, Postgres when DATABASE_URL is set. */
export function getAppServices(): Promise<AppServices> {
  globalCache.__serverEventsApp ??= createAppServices().catch((error: unknown) => {
    globalCache.__serverEventsApp = undefined;
    throw error;
  });
  return globalCache.__serverEventsApp;
}

export async function getServerEvents(): Promise<ServerEvents> {
  return (await getAppServices()).serverEvents;
}
