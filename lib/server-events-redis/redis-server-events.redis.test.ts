import { Redis } from "ioredis";
import { afterAll, beforeAll, describe } from "vitest";
import {
  describeServerEvents,
  type CreateServerEvents,
} from "@/lib/server-events/server-events.contract";
import { describeSubscriptionActions } from "@/lib/server-events/subscription-actions.contract";
import { createTestRedis, redisUrl, type TestRedis } from "@/lib/testing/redis";
import { RedisServerEvents } from "./redis-server-events";

// Retried: on a shared Redis, this file has seen its connections dropped mid-test (EPIPE, then
// "Connection is closed") while other files run beside it; a retry starts on fresh connections.
describe.skipIf(!redisUrl)("RedisServerEvents", { retry: 2 }, () => {
  let test: TestRedis;

  beforeAll(async () => {
    test = await createTestRedis();
  });

  afterAll(async () => {
    await test.drop();
  });

  const create: CreateServerEvents = async (options) => {
    // A connection per provider, closed with it: an unregister still in flight then fails
    // instead of writing under the prefix after the file has deleted it.
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
