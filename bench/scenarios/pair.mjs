// @ts-check
/**
 * Two instances of one server kind on one Postgres database (app-redis: on one Redis key prefix):
 * subscribers on B, the publisher on A. A memory-provider kind (app-node) runs one instance that is
 * both A and B: the single-instance baseline that cross-instance rates are compared with.
 * `paced()` publishes at a rate to A and measures latency, loss and duplicates on B.
 */
import { sleep } from "../lib/clock.mjs";
import { summarize } from "../lib/histogram.mjs";
import { cpuMs } from "../lib/procstat.mjs";
import { Load } from "../load/load.mjs";
import { launch, providerOf } from "../servers/launch.mjs";

export const CHANNEL = "xbench";

/** The server kinds that run as a pair; `ctx.unavailable[kind]` says why one is skipped. */
export const PAIR_KINDS = ["app-pg", "app-node-pg", "app-redis", "app-node-redis", "socketio"];

/**
 * Runs `fn(redis)` with `{ url, prefix }` for app-redis (a fresh prefix, its keys deleted after),
 * with undefined for every other kind.
 */
export async function withRedisPrefix(ctx, kind, fn) {
  if (!kind.endsWith("-redis")) return fn(undefined);
  if (!ctx.redis) throw new Error(ctx.unavailable?.[kind] ?? "Redis not reachable");
  const prefix = ctx.redis.newPrefix();
  try {
    return await fn({ url: ctx.redis.url, prefix });
  } finally {
    await ctx.redis.deleteKeys(prefix).then(
      (count) => ctx.log(`  deleted ${count} Redis key(s) under ${prefix}`),
      (error) => ctx.log(`  could not delete the Redis keys under ${prefix}: ${error.message}`),
    );
  }
}

/**
 * @template T
 * @param {any} ctx
 * @param {string} kind
 * @param {string} label
 * @param {(pair: any) => Promise<T>} fn
 * @param {{ cpuProfDirs?: string[], env?: Record<string, string> }} [options]
 * @returns {Promise<T>}
 */
export function withPair(ctx, kind, label, fn, options = {}) {
  return withRedisPrefix(ctx, kind, (redis) =>
    runPair(ctx, kind, label, fn, { ...options, redis }),
  );
}

/**
 * @template T
 * @param {any} ctx
 * @param {string} kind
 * @param {string} label
 * @param {(pair: any) => Promise<T>} fn
 * @param {{ cpuProfDirs?: string[], redis?: { url: string, prefix: string }, env?: Record<string, string> }} [options]
 * @returns {Promise<T>}
 */
async function runPair(ctx, kind, label, fn, { cpuProfDirs = [], redis, env } = {}) {
  const { config } = ctx;
  const databaseUrl = ctx.db?.url;
  const a = await launch(kind, {
    databaseUrl,
    redis,
    label: `${label}-${kind}-A`,
    cpuProfDir: cpuProfDirs[0],
    env,
  });
  let b = null;
  let load = null;
  try {
    b =
      providerOf(kind) === "memory"
        ? a
        : await launch(kind, {
            databaseUrl,
            redis,
            label: `${label}-${kind}-B`,
            cpuProfDir: cpuProfDirs[1],
            env,
          });
    load = await Load.start({ subscriberProcs: 1, label });
    await load.publish("init", { target: a.publishTarget(CHANNEL) });
    const connect = await load.connect(b.subscribeTarget(CHANNEL), config.crossSubscribers, {
      concurrency: 16,
      limitMs: config.stepLimitMs,
    });
    if (connect.connected === 0) throw new Error(`no subscriber on B: ${JSON.stringify(connect)}`);
    await load.waitQuiet(b.pid, { limitMs: 30_000, quietMs: 500 });
    const pair = { a, b, load, subscribers: connect.connected };
    // Warm-up: the first messages load route modules and open database connections.
    await paced(pair, { rate: 50, durationMs: 1000 });
    await sleep(300);
    return await fn(pair);
  } finally {
    await load?.stop();
    await Promise.all([a.stop(), b && b !== a ? b.stop() : null]);
  }
}

export async function paced(pair, { rate, durationMs, size = 0, drainMs = 10_000 }) {
  const { a, b, load } = pair;
  await load.reset({ trackSeqs: true });
  const cpuA = cpuMs(a.pid);
  const cpuB = cpuMs(b.pid);
  const pub = await load.publish("paced", { rate, durationMs, size, maxInFlight: 64 });
  const open = (await load.stats({ histogram: false })).open;
  const expected = pub.sent * open;
  const stats = await load.waitForDeliveries(expected, { limitMs: drainMs, stallMs: 3000 });
  const latency = summarize(stats.histogram);
  return {
    rate,
    size,
    seconds: durationMs / 1000,
    published: pub.sent,
    publishFailed: pub.failed,
    publishError: pub.firstError,
    achievedRate: pub.achievedRate,
    publishRttP50: summarize(pub.rtt).p50,
    publishRttP99: summarize(pub.rtt).p99,
    subscribers: open,
    expected,
    delivered: stats.unique,
    lost: expected - stats.unique,
    duplicates: stats.received - stats.unique,
    p50: latency.p50,
    p99: latency.p99,
    max: latency.max,
    cpuMsPerMessageA: (cpuMs(a.pid) - cpuA) / Math.max(1, pub.sent),
    cpuMsPerMessageB: (cpuMs(b.pid) - cpuB) / Math.max(1, pub.sent),
  };
}
