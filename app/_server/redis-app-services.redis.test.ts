import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRedis, redisUrl, type TestRedis } from "@/lib/testing/redis";
import { createRedisAppServices } from "./redis-app-services";
import { expectOneSharedBackend } from "./testing/shared-backend";

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
    await expectOneSharedBackend(one, two);
    await Promise.all(services.map((s) => s.serverEvents.stop({ notify: true })));
    await Promise.all(services.map((s) => s.close()));
  });

  it("fails to start when Redis cannot be reached", async () => {
    await expect(
      createRedisAppServices({ redisUrl: "redis://127.0.0.1:1", options: {} }),
    ).rejects.toThrow();
  });
});
