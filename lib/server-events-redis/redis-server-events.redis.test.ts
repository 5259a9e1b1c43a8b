import { Redis } from "ioredis";
import { afterAll, beforeAll, describe } from "vitest";
import {
  describeServerEvents,
  type CreateServerEvents,
} from "@/lib/server-events/server-events.contract";
import { describeSubscriptionActions } from "@/lib/server-events/subscription-actions.contract";
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

  const create: CreateServerEvents = async (options) => {
    // A connection per provider, closed after it: stop() waits for the leaves in flight, so
    // nothing writes under the prefix once the file has deleted it.
    const redis = new Redis(test.url);
    const events = new RedisServerEvents(options, { redis, keyPrefix: test.nextPrefix() });
    await events.start();
    return {
      events,
      cleanup: async () => {
        await events.stop();
        // Already closed when the server dropped it: there is nothing left to quit.
        if (redis.status === "ready") await redis.quit();
        else redis.disconnect();
      },
    };
  };

  describeServerEvents("redis", create);
  describeSubscriptionActions("redis", create);
});
