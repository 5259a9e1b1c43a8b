/**
 * The cluster providers the two-instance tests (e2e/api/cluster-*.test.ts) run against: each says
 * whether its backing service answers, and sets up an isolated slice of it (a throwaway Postgres
 * database, a random Redis key prefix) whose environment every instance of one run shares.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { deleteByPattern, prefixPattern, RedisKeys } from "@/lib/server-events-redis";
import { createThrowawayDatabase, pgAdminUrl, probePostgres } from "./database";

export interface ClusterBackend {
  /** The provider's variables for `next start` (e.g. `DATABASE_URL`, or `REDIS_URL` + prefix). */
  env: Record<string, string>;
  /**
   * Whether the provider's shared store still holds subscription `id` (its Postgres row, its
   * Redis hash or its entry in the pulse set): what a crash clean-up must remove.
   */
  subscriptionStored(id: string): Promise<boolean>;
  /** Removes everything the run left behind; call it once every instance has stopped. */
  teardown(): Promise<void>;
}

export interface ClusterProvider {
  name: string;
  /** Where it expects its service, for messages. */
  location: string;
  /** `true` when the service answers, else why not. */
  available(): Promise<true | string>;
  setup(): Promise<ClusterBackend>;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const postgresProvider: ClusterProvider = {
  name: "Postgres",
  location: pgAdminUrl,
  async available() {
    const probe = await probePostgres();
    return probe.ok ? true : probe.reason;
  },
  async setup() {
    const database = await createThrowawayDatabase("server_events_it");
    return {
      env: { DATABASE_URL: database.url },
      async subscriptionStored(id) {
        const { rows } = await database.query<{ count: string }>(
          "SELECT count(*) FROM server_events_subscriptions WHERE id = $1",
          [id],
        );
        return Number(rows[0]!.count) > 0;
      },
      teardown: () => database.drop(),
    };
  },
};

/** Redis for the tests (the same variable and default as lib/testing/redis-global-setup.ts). */
export const redisTestUrl = process.env.REDIS_TEST_URL ?? "redis://127.0.0.1:6379";

function connectRedis(): Promise<Redis> {
  const redis = new Redis(redisTestUrl, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // ioredis rejects connect() with "Connection is closed."; the cause comes as an "error" event.
  let cause: unknown;
  redis.on("error", (error: unknown) => (cause ??= error));
  return redis.connect().then(
    () => redis,
    (error: unknown) => {
      redis.disconnect();
      throw cause ?? error;
    },
  );
}

export const redisProvider: ClusterProvider = {
  name: "Redis",
  location: redisTestUrl,
  async available() {
    try {
      const redis = await connectRedis();
      try {
        await redis.ping();
        return true;
      } finally {
        redis.disconnect();
      }
    } catch (error) {
      return errorText(error);
    }
  },
  async setup() {
    // Every key and the pub/sub topic of this run live under it; nothing else shares it.
    const keys = new RedisKeys(`sse:it:${randomBytes(6).toString("hex")}:`);
    const redis = await connectRedis();
    return {
      env: { REDIS_URL: redisTestUrl, REDIS_KEY_PREFIX: keys.prefix },
      async subscriptionStored(id) {
        const [exists, score] = await Promise.all([
          redis.exists(keys.id(id)),
          redis.zscore(keys.ids, id),
        ]);
        return exists > 0 || score !== null;
      },
      async teardown() {
        try {
          await deleteByPattern(redis, prefixPattern(keys.prefix));
        } finally {
          redis.disconnect();
        }
      },
    };
  },
};

export const clusterProviders: readonly ClusterProvider[] = [postgresProvider, redisProvider];

/**
 * The providers whose service answers. One that does not is skipped with a warning naming what to
 * start, except with CI set, where `testFile` fails: CI starts both services.
 */
export async function reachableProviders(testFile: string): Promise<ClusterProvider[]> {
  const reachable: ClusterProvider[] = [];
  for (const provider of clusterProviders) {
    const availability = await provider.available();
    if (availability === true) {
      reachable.push(provider);
      continue;
    }
    const what = `${provider.name} at ${provider.location} is unreachable (${availability})`;
    if (process.env.CI) throw new Error(`${testFile} needs ${provider.name} in CI, and ${what}`);
    console.warn(
      `[${testFile}] SKIPPED on ${provider.name}: ${what}. ` +
        "Start it (or set PG_ADMIN_URL / REDIS_TEST_URL) to run these tests on it.",
    );
  }
  return reachable;
}
