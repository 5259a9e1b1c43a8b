import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRedis, redisUrl, type TestRedis } from "@/lib/testing/redis";
import { createRedisAppServices } from "./redis-app-services";

describe.skipIf(!redisUrl)("createRedisAppServices", () => {
  let test: TestRedis;

  beforeAll(async () => {
    test = await createTestRedis();
  });

  afterAll(async () => {
    await test.drop();
  });

  it("starts the provider with the chat history on a shared prefix, and closes", async () => {
    const keyPrefix = test.nextPrefix();
    const services = await Promise.all(
      ["one", "two"].map((instanceId) =>
        createRedisAppServices({ redisUrl: test.url, keyPrefix, instanceId, options: {} }),
      ),
    );
    const [one, two] = services as [(typeof services)[0], (typeof services)[0]];
    const sequence = await one.serverEvents.getNextSequence("app");
    expect(await two.serverEvents.getNextSequence("app")).toBe(sequence + 1);
    await one.history.append({
      id: sequence,
      channel: "home",
      fromUserId: "u1",
      fromName: "ada",
      displayName: "Ada",
      message: "hello",
      userAuthId: null,
      private: false,
      createdAt: Date.now(),
      selector: "cmd.chat",
    });
    expect((await two.history.recent(["home"], 10)).map((m) => m.message)).toEqual(["hello"]);
    await Promise.all(services.map((s) => s.serverEvents.stop({ notify: true })));
    await Promise.all(services.map((s) => s.close()));
  });

  it("fails to start when Redis cannot be reached", async () => {
    await expect(
      createRedisAppServices({ redisUrl: "redis://127.0.0.1:1", options: {} }),
    ).rejects.toThrow();
  });
});
