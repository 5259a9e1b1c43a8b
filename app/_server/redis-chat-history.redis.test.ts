import { afterAll, beforeAll, describe } from "vitest";
import {
  itBehavesLikeChatHistory,
  itKeepsToItsByteBudget,
} from "@/app/_server/chat-history.contract";
import type { ChatHistoryLimits } from "@/app/_server/chat-history";
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

  const create = (limits?: Partial<ChatHistoryLimits>) =>
    new RedisChatHistory(test.redis, test.nextPrefix(), limits);
  itBehavesLikeChatHistory(create);
  itKeepsToItsByteBudget(create);
});
