import { Redis } from "ioredis";
import { resolveOptions, type ServerEventsOptions } from "@/lib/server-events";
import type { BusObserver } from "@/lib/server-events-cluster";
import { RedisChatHistory } from "@/app/_server/redis-chat-history";
import { RedisKeys, RedisServerEvents } from "@/lib/server-events-redis";

export interface RedisAppConfig {
  redisUrl: string;
  /** @default "sse:" */
  keyPrefix?: string | undefined;
  instanceId?: string | undefined;
  options: ServerEventsOptions;
  /** Batch sizes and commit times (lib/next/bus-metrics.ts feeds them to /metrics). */
  observer?: BusObserver | undefined;
}

/**
 * What the app needs when `REDIS_URL` is set: the provider started on its own connection (plus the
 * subscriber it duplicates), the chat history in Redis, and a `close` for shutdown.
 */
export async function createRedisAppServices(config: RedisAppConfig) {
  const redis = new Redis(config.redisUrl, { lazyConnect: true });
  const { onError } = resolveOptions(config.options);
  redis.on("error", (error) => onError(error));
  const keys = new RedisKeys(config.keyPrefix);
  // A start that fails is retried with a new client: this one must not go on reconnecting.
  try {
    await redis.connect();
    const serverEvents = new RedisServerEvents(config.options, {
      redis,
      keyPrefix: keys.prefix,
      instanceId: config.instanceId,
      observer: config.observer,
    });
    await serverEvents.start();
    return {
      serverEvents,
      history: new RedisChatHistory(redis, keys),
      close: async () => {
        await redis.quit();
      },
    };
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}
