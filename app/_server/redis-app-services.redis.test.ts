import { createServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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

  it("fails to start when Redis cannot be reached, and stops trying on that client", async () => {
    // Accepts and drops every connection, counting them: what an unreachable Redis looks like.
    let attempts = 0;
    const refusing = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    const { port } = refusing.address() as AddressInfo;
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    try {
      await expect(
        createRedisAppServices({ redisUrl: `redis://127.0.0.1:${port}`, options: {} }),
      ).rejects.toThrow();
      const afterFailure = attempts;
      // A minute of ioredis's reconnect schedule (50 ms, 100 ms, … up to 2 s apart).
      for (let step = 0; step < 60; step++) {
        await vi.advanceTimersByTimeAsync(1_000);
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Every failed start is retried with a new client: a leaked one would reconnect forever.
      expect(attempts).toBe(afterFailure);
    } finally {
      vi.useRealTimers();
      await new Promise((resolve) => refusing.close(resolve));
    }
  });
});
