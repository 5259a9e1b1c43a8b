import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatMessage } from "@/lib/demo-services/chat-history";
import { createTestRedis, redisUrl, type TestRedis } from "@/lib/testing/redis";
import { RedisChatHistory } from "./redis-chat-history";

const message = (id: number, channel: string): ChatMessage => ({
  id,
  channel,
  fromUserId: "u1",
  fromName: "ada",
  displayName: "Ada",
  message: `message ${id}`,
  userAuthId: null,
  private: false,
  createdAt: 1_700_000_000_000 + id,
  selector: "cmd.chat",
});

describe.skipIf(!redisUrl)("RedisChatHistory", () => {
  let test: TestRedis;

  beforeAll(async () => {
    test = await createTestRedis();
  });

  afterAll(async () => {
    await test.drop();
  });

  it("returns the newest messages of the given channels, oldest first", async () => {
    const history = new RedisChatHistory(test.redis, test.nextPrefix());
    for (let id = 1; id <= 5; id++) await history.append(message(id, id % 2 ? "odd" : "even"));
    await history.append(message(6, "other"));
    expect(await history.recent(["odd", "even"], 3)).toEqual([
      message(3, "odd"),
      message(4, "even"),
      message(5, "odd"),
    ]);
    expect((await history.recent(["odd"], 10)).map((m) => m.id)).toEqual([1, 3, 5]);
    await history.clear();
    expect(await history.recent(["odd", "even", "other"], 10)).toEqual([]);
  });

  it("keeps at most perChannel messages per channel", async () => {
    const history = new RedisChatHistory(test.redis, test.nextPrefix(), 3);
    for (let id = 1; id <= 6; id++) await history.append(message(id, "room"));
    expect((await history.recent(["room"], 10)).map((m) => m.id)).toEqual([4, 5, 6]);
  });
});
