import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chatMessage,
  itBehavesLikeChatHistory,
  itKeepsToItsByteBudget,
} from "@/app/_server/chat-history.contract";
import { chatMessageBytes, type ChatHistoryLimits } from "@/app/_server/chat-history";
import { RedisKeys } from "@/lib/server-events-redis";
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

  it("counts the lists it finds when the byte count is missing (written before it existed)", async () => {
    const keys = new RedisKeys(test.nextPrefix());
    const size = chatMessageBytes(chatMessage(1, "old"));
    const history = new RedisChatHistory(test.redis, keys, { maxBytes: 3 * size + 10 });
    for (let id = 1; id <= 3; id++) await history.append(chatMessage(id, "old"));
    await test.redis.del(keys.chatBytes());
    // Three are kept already: a fourth makes room by forgetting the oldest, not by growing.
    await history.append(chatMessage(4, "old"));
    expect((await history.recent(["old"], 10)).map((m) => m.id)).toEqual([2, 3, 4]);
    expect(Number(await test.redis.get(keys.chatBytes()))).toBe(
      [2, 3, 4].reduce((sum, id) => sum + chatMessageBytes(chatMessage(id, "old")), 0),
    );
  });
});
