import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerEventsOptions } from "@/lib/server-events";
import { describeCluster } from "@/lib/server-events-cluster/cluster.contract";
import { createTestRedis, redisUrl, type TestRedis } from "@/lib/testing/redis";
import { connectSubscriber } from "@/lib/testing/subscriber";
import { busScripts } from "./redis-bus-scripts";
import { RedisKeys } from "./redis-keys";
import { RedisServerEvents } from "./redis-server-events";

/** Several instances on one Redis in one process, each with its own connections. */
describe.skipIf(!redisUrl)("Redis cluster", () => {
  let test: TestRedis;
  let prefix = "";
  const connections: Redis[] = [];

  beforeAll(async () => {
    test = await createTestRedis();
    prefix = test.nextPrefix();
  });

  afterAll(async () => {
    await Promise.all(connections.map((redis) => redis.quit()));
    await test.drop();
  });

  async function createInstance(
    options: ServerEventsOptions,
    { reconnectBaseMs = 20 } = {},
  ): Promise<RedisServerEvents> {
    const redis = new Redis(test.url);
    connections.push(redis);
    const events = new RedisServerEvents(options, {
      redis,
      keyPrefix: prefix,
      bus: {
        subscriber: {
          probeIntervalMs: 200,
          reconnectBaseMs,
          reconnectMaxMs: Math.max(200, reconnectBaseMs),
        },
      },
    });
    await events.start();
    return events;
  }

  describeCluster("redis", {
    start: createInstance,
    cutDescription: "CLIENT KILL TYPE pubsub",
    async cutListener(events) {
      // Killed again before it came back would kill nothing: wait for the new connection.
      await expect.poll(() => events.redisBus.listener.clientId).toBeDefined();
      const id = events.redisBus.listener.clientId;
      expect(await test.redis.call("CLIENT", "KILL", "TYPE", "pubsub", "ID", String(id))).toBe(1);
    },
    isListening: (events) => events.redisBus.listener.clientId !== undefined,
    clear: async () => {
      prefix = test.nextPrefix();
      return Promise.resolve();
    },
  });

  describe("Redis specifics", () => {
    it("marks a replay from before the pruned window as incomplete", async () => {
      const events = await createInstance({ replayMaxMessages: 2, onError: () => undefined });
      try {
        const first = await connectSubscriber(events, { channels: ["p"] });
        for (let n = 0; n < 5; n++) await events.notifyChannel("p", "cmd.n", n);
        const frames = [];
        while (frames.length < 5)
          frames.push(await first.frames.until((f) => f.selector === "cmd.n"));
        await events.removeExpiredSubscriptions();
        const keys = new RedisKeys(prefix);
        expect(await test.redis.xlen(keys.messages)).toBeLessThanOrEqual(2);
        const stale = await connectSubscriber(events, { channels: ["p"] }, frames[0]!.id);
        expect(stale.connectFrame.body).toMatchObject({ recovered: "false" });
        const fresh = await connectSubscriber(events, { channels: ["p"] }, frames[3]!.id);
        expect(fresh.connectFrame.body).toMatchObject({ recovered: "true" });
        expect((await fresh.frames.next()).body).toBe(4);
        await Promise.all([first, stale, fresh].map((s) => s.frames.cancel()));
      } finally {
        await events.stop();
      }
    });

    it("keeps the log under its byte budget, pruning from a body-less index", async () => {
      const events = await createInstance({ replayMaxBytes: 250_000, onError: () => undefined });
      try {
        const keys = new RedisKeys(prefix);
        const first = await connectSubscriber(events, { channels: ["big"] });
        const body = "x".repeat(100_000);
        for (let n = 0; n < 6; n++) await events.notifyChannel("big", "cmd.big", body);
        const frames = [];
        while (frames.length < 6)
          frames.push(await first.frames.until((f) => f.selector === "cmd.big"));
        // The index mirrors the log, id for id, without the bodies.
        const [logged, indexed] = await Promise.all([
          test.redis.xrange(keys.messages, "-", "+"),
          test.redis.xrange(keys.messageIndex, "-", "+"),
        ]);
        expect(indexed.map(([id]) => id)).toEqual(logged.map(([id]) => id));
        expect(indexed.every(([, fields]) => !fields.includes("b"))).toBe(true);

        await events.removeExpiredSubscriptions();
        const kept = await test.redis.xrange(keys.messages, "-", "+");
        // 100 KB bodies under 250 KB: two stay (with the onJoin before them gone as well).
        expect(kept.length).toBeLessThanOrEqual(2);
        expect(await test.redis.xlen(keys.messageIndex)).toBe(kept.length);
        const stale = await connectSubscriber(events, { channels: ["big"] }, frames[0]!.id);
        expect(stale.connectFrame.body).toMatchObject({ recovered: "false" });
        const fresh = await connectSubscriber(events, { channels: ["big"] }, frames[4]!.id);
        expect(fresh.connectFrame.body).toMatchObject({ recovered: "true" });
        await Promise.all([first, stale, fresh].map((s) => s.frames.cancel()));
      } finally {
        await events.stop();
      }
    });

    it("remembers what it pruned per audience, folding the lowest marks into the one for everyone", async () => {
      prefix = test.nextPrefix(); // an empty log
      const events = await createInstance({ onError: () => undefined });
      try {
        const keys = new RedisKeys(prefix);
        for (let n = 0; n < 7; n++) await events.notifyChannel(`c${n}`, "cmd.n", n);
        const ids = (await test.redis.xrange(keys.messages, "-", "+")).map(([id]) =>
          id.replace(/-0$/u, ""),
        );
        expect(ids).toHaveLength(7);
        // One real message kept, and at most four marks: six dropped, the lower four folded.
        const pruneKeys = [
          keys.messages,
          keys.prunedThrough,
          keys.realMessageCount,
          keys.messageIndex,
          keys.messageBytes,
          keys.prunedFor,
        ];
        await busScripts.prune.run(test.redis, pruneKeys, [3_600_000, 1, 500, 1e9, 4]);
        expect(await test.redis.hgetall(keys.prunedFor)).toEqual({
          "channel:c4": ids[4],
          "channel:c5": ids[5],
        });
        expect(await test.redis.get(keys.prunedThrough)).toBe(ids[3]);
        expect(await test.redis.xlen(keys.messages)).toBe(1);

        // A reset of a log already emptied keeps what the marks knew.
        await test.redis.del(keys.messages);
        await busScripts.pruneAll.run(
          test.redis,
          [keys.messages, keys.prunedThrough, keys.messageIndex, keys.prunedFor],
          [],
        );
        expect(await test.redis.get(keys.prunedThrough)).toBe(ids[5]);
      } finally {
        await events.stop();
      }
    });

    it("keeps ids growing when Redis loses its data", async () => {
      const events = await createInstance({ onError: () => undefined });
      try {
        const client = await connectSubscriber(events, { channels: ["w"] });
        await events.notifyChannel("w", "cmd.before", null);
        const before = await client.frames.until((f) => f.selector === "cmd.before");
        await test.redis.del(new RedisKeys(prefix).messageId, new RedisKeys(prefix).messages);
        await events.notifyChannel("w", "cmd.after", null);
        const after = await client.frames.until((f) => f.selector === "cmd.after");
        expect(after.id).toBeGreaterThan(before.id);
        await client.frames.cancel();
      } finally {
        await events.stop();
      }
    });

    it("reports undecodable topic payloads to onError", async () => {
      const errors: unknown[] = [];
      const events = await createInstance({ onError: (error) => errors.push(error) });
      try {
        await test.redis.publish(new RedisKeys(prefix).topic, "m not-a-payload");
        await expect.poll(() => errors.length).toBeGreaterThan(0);
      } finally {
        await events.stop();
      }
    });
  });
});
