import { Redis } from "ioredis";
import { afterAll, beforeAll, describe } from "vitest";
import { RedisServerEvents } from "@/lib/server-events-redis";
import { createTestRedis, redisUrl, type TestRedis } from "@/lib/testing/redis";
import { describeMonitorCluster } from "./admin-monitor.cluster";

describe.skipIf(!redisUrl)("admin monitor, Redis", () => {
  let test: TestRedis;
  const connections: Redis[] = [];
  beforeAll(async () => {
    test = await createTestRedis();
  });
  afterAll(async () => {
    await Promise.all(connections.map((redis) => redis.quit()));
    await test.drop();
  });

  describeMonitorCluster("redis", async (instanceId) => {
    const redis = new Redis(test.url);
    connections.push(redis);
    const events = new RedisServerEvents(
      { onError: () => undefined },
      { redis, keyPrefix: test.prefix, instanceId },
    );
    await events.start();
    return events;
  });
});
