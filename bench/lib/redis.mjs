// @ts-check
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/** A short-lived client that fails fast instead of retrying (the bench must not hang on Redis). */
function client(url) {
  return new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
}

async function withClient(url, fn) {
  const redis = client(url);
  // ioredis reports why a connection failed as an event and rejects with "Connection is closed".
  let cause = null;
  redis.on("error", (error) => (cause ??= error));
  try {
    await redis.connect();
    return await fn(redis);
  } catch (error) {
    throw cause ?? error;
  } finally {
    redis.disconnect();
  }
}

const globEscape = (text) => text.replace(/[*?[\]\\]/g, "\\$&");

/**
 * Redis for the `app-redis` rows: checks that `url` answers, then hands out random key prefixes
 * `sse:bench:<hex>:` (one per group of instances that should form one cluster) and deletes their
 * keys with SCAN + UNLINK. Throws when Redis is not reachable.
 */
export async function openRedisScratch(url) {
  const serverVersion = await withClient(url, async (redis) => {
    await redis.ping();
    const info = await redis.info("server");
    return /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
  });
  const prefixes = new Set();

  async function deleteKeys(prefix) {
    const deleted = await withClient(url, async (redis) => {
      let count = 0;
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(
          cursor,
          "MATCH",
          `${globEscape(prefix)}*`,
          "COUNT",
          1000,
        );
        cursor = next;
        if (keys.length) count += await redis.unlink(...keys);
      } while (cursor !== "0");
      return count;
    });
    prefixes.delete(prefix);
    return deleted;
  }

  return {
    url,
    serverVersion,
    /** A fresh `sse:bench:<hex>:`, remembered until its keys are deleted. */
    newPrefix() {
      const prefix = `sse:bench:${randomBytes(5).toString("hex")}:`;
      prefixes.add(prefix);
      return prefix;
    },
    /** Deletes every key under `prefix`; resolves to how many there were. */
    deleteKeys,
    /** Deletes the keys of every prefix handed out and not yet cleaned up. */
    async deleteAll() {
      let count = 0;
      for (const prefix of [...prefixes]) count += await deleteKeys(prefix);
      return count;
    },
  };
}
