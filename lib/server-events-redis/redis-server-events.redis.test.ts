import { Redis } from "ioredis";
import { afterAll, beforeAll, describe } from "vitest";
import { describeServerEvents } from "@/lib/server-events/server-events.contract";
import { createTestRedis, redisUrl, type TestRedis } from "@/lib/testing/redis";
import { RedisServerEvents } from "./redis-server-events";

describe.skipIf(!redisUrl)("RedisServerEvents", () => {
  let test: TestRedis;

  beforeAll(async () => {
    test = await createTestRedis();
  });

  afterAll(async () => {
    await test.drop();
  });

  describeServerEvents("redis", async (options) => {
    // A connection per provider, closed with it: an unregister still in flight then fails
    // instead of writing under the prefix after the file has deleted it.
    const redis = new Redis(test.url);
    const events = new RedisServerEvents(options, { redis, keyPrefix: test.nextPrefix() });
    await events.start();
    return {
      events,
      cleanup: async () => {
        await events.stop();
        await redis.quit();
      },
    };
  });
});
