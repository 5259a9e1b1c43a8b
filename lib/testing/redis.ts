import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { inject } from "vitest";
import { deleteByPattern, prefixPattern } from "@/lib/server-events-redis";

/** From redis-global-setup: "" when Redis is unreachable outside CI. */
export const redisUrl = inject("redisUrl");

export interface TestRedis {
  url: string;
  redis: Redis;
  /** `sse:test:<random>:` — everything a test file writes lives under it. */
  prefix: string;
  /** A fresh prefix under the file's one, for a test that wants an empty cluster. */
  nextPrefix(): string;
  /** Deletes every key under the file's prefix (SCAN + UNLINK) and closes the connection. */
  drop(): Promise<void>;
}

export async function createTestRedis(): Promise<TestRedis> {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  redis.on("error", () => undefined);
  await redis.connect();
  const prefix = `sse:test:${randomBytes(4).toString("hex")}:`;
  let count = 0;
  return {
    url: redisUrl,
    redis,
    prefix,
    nextPrefix: () => `${prefix}${++count}:`,
    async drop() {
      await deleteByPattern(redis, prefixPattern(prefix));
      await redis.quit();
    },
  };
}
