import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatMessage, itBehavesLikeChatHistory } from "@/lib/demo-services/chat-history.contract";
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

  itBehavesLikeChatHistory(() => new RedisChatHistory(test.redis, test.nextPrefix()));

  it("keeps at most perChannel messages per channel", async () => {
    const history = new RedisChatHistory(test.redis, test.nextPrefix(), 3);
    for (let id = 1; id <= 6; id++) await history.append(chatMessage(id, "room"));
    expect((await history.recent(["room"], 10)).map((m) => m.id)).toEqual([4, 5, 6]);
  });
});
