import { Redis } from "ioredis";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  interface ProvidedContext {
    /** Redis for `*.redis.test.ts`; "" when it is unreachable (not CI). */
    redisUrl: string;
  }
}

const url = process.env.REDIS_TEST_URL ?? "redis://127.0.0.1:6379";

/**
 * Checks that Redis answers before the `*.redis.test.ts` files run: in CI a missing Redis fails
 * the run loudly, elsewhere those files are skipped. Each file isolates itself under a random key
 * prefix and deletes it at the end (lib/testing/redis.ts).
 */
export default async function setup(project: TestProject): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    project.provide("redisUrl", url);
  } catch (error) {
    if (process.env.CI === "true" || process.env.CI === "1")
      throw new Error(`Redis is required in CI for *.redis.test.ts: ${url} unreachable`, {
        cause: error,
      });
    console.warn(`[redis-global-setup] ${url} unreachable: *.redis.test.ts will be skipped`);
    project.provide("redisUrl", "");
  } finally {
    redis.disconnect();
  }
}
