import { afterAll, beforeAll, describe } from "vitest";
import { itBehavesLikeChatHistory } from "@/app/_server/chat-history.contract";
import { createTestRedis, redisUrl, type TestRedis } from "@/lib/testing/redis";
import { RedisChatHistory } from "./redis-chat-history";

describe.skipIf(!redisUrl)("RedisChatHistory", () => {
  let test: TestRedis;

  beforeAll(async () => {
    test = await createTestRedis();
  });

  afterAll(async () => {
    await test.drop();
  });

  itBehavesLikeChatHistory((limits) => new RedisChatHistory(test.redis, test.nextPrefix(), limits));
});
