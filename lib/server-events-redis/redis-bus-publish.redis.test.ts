import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestRedis, redisUrl, type TestRedis } from "@/lib/testing/redis";
import { connectSubscriber, readUntil, type TestSubscriber } from "@/lib/testing/subscriber";
import { busScripts } from "./redis-bus-scripts";
import { RedisKeys } from "./redis-keys";
import { RedisServerEvents } from "./redis-server-events";

/**
 * Publishing when the connection misbehaves: a reply lost with the connection (ioredis sends the
 * command again on the next one), and a Redis that has forgotten its scripts.
 */
describe.skipIf(!redisUrl)("Redis publishing", () => {
  let test: TestRedis;
  let prefix = "";
  const instances: RedisServerEvents[] = [];
  const connections: Redis[] = [];
  const subscribers: TestSubscriber[] = [];

  beforeAll(async () => {
    test = await createTestRedis();
  });

  afterEach(async () => {
    await Promise.all(subscribers.splice(0).map((s) => s.frames.cancel().catch(() => {})));
    await Promise.all(instances.splice(0).map((events) => events.stop()));
    await Promise.all(connections.splice(0).map((redis) => redis.quit().catch(() => {})));
  });

  afterAll(async () => {
    await test.drop();
  });

  async function startPair() {
    prefix = test.nextPrefix();
    const start = async () => {
      const redis = new Redis(test.url);
      connections.push(redis);
      const events = new RedisServerEvents({ onError: () => {} }, { redis, keyPrefix: prefix });
      await events.start();
      instances.push(events);
      return { events, redis };
    };
    const [a, b] = [await start(), await start()];
    const watcher = await connectSubscriber(b.events, { channels: ["room"] });
    subscribers.push(watcher);
    return { a, b, watcher };
  }

  /** How many commands Redis has refused with NOSCRIPT since it started. */
  async function noScriptErrors(): Promise<number> {
    const stats = await test.redis.info("errorstats");
    return Number(/errorstat_NOSCRIPT:count=(\d+)/u.exec(stats)?.[1] ?? 0);
  }

  const selectorsUntilMarker = async (watcher: TestSubscriber) =>
    (await readUntil(watcher, "cmd.marker"))
      .map((f) => f.selector)
      .filter((s) => !/^cmd\.on(?:Join|Leave|Update)$/u.test(s));

  it("stores and delivers a batch once when its reply is lost and ioredis sends it again", async () => {
    const { a, watcher } = await startPair();
    const keys = new RedisKeys(prefix);
    const stored = await test.redis.xlen(keys.messages);
    // Redis runs the script, but its reply never reaches the publisher: the connection drops.
    a.redis.stream.pause();
    const published = a.events.notifyChannel("room", "cmd.once", 1);
    await expect.poll(() => test.redis.xlen(keys.messages)).toBe(stored + 1);
    a.redis.stream.destroy();
    await published.catch(() => {});
    await a.events.notifyChannel("room", "cmd.marker", null);
    expect(await selectorsUntilMarker(watcher)).toEqual(["cmd.once", "cmd.marker"]);
    expect(await test.redis.xlen(keys.messages)).toBe(stored + 2);
  });

  it("keeps an instance's publishes in order when Redis has forgotten its scripts", async () => {
    const { a, watcher } = await startPair();
    const keys = new RedisKeys(prefix);
    const stored = await test.redis.xlen(keys.messages);
    await test.redis.script("FLUSH");
    const refusedBefore = await noScriptErrors();
    a.redis.stream.pause();
    const first = a.events.notifyChannel("room", "cmd.first", 1);
    // Redis has had the first: stored it, or refused it as an unknown script.
    await expect
      .poll(
        async () =>
          (await test.redis.xlen(keys.messages)) > stored ||
          (await noScriptErrors()) > refusedBefore,
      )
      .toBe(true);
    // Another instance loads the script before the second (its own publish, say).
    await test.redis.script("LOAD", busScripts.publishBatch.source);
    const second = a.events.notifyChannel("room", "cmd.second", 2);
    a.redis.stream.resume();
    await Promise.all([first, second]);
    await a.events.notifyChannel("room", "cmd.marker", null);
    expect(await selectorsUntilMarker(watcher)).toEqual(["cmd.first", "cmd.second", "cmd.marker"]);
  });
});
