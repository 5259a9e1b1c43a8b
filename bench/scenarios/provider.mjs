// @ts-check
/**
 * Provider throughput, in-process: `notifyChannel` on the Postgres and the Redis provider with no
 * HTTP in front, from one instance and from two at once (each its own process, on one database /
 * one key prefix). Every instance holds one subscriber on the channel; each must be sent every
 * message exactly once, in id order, with no id missing between the first and the last.
 */
import path from "node:path";
import { build } from "esbuild";
import { forkWorker, stopChild } from "../lib/children.mjs";
import { rpcClient } from "../lib/rpc.mjs";
import { median } from "../lib/stats.mjs";
import { resultsDir, root } from "../servers/launch.mjs";

const CHANNEL = "pbench";
const WARM_UP = 300;
/** The targets (msg/s published and delivered without loss). */
export const PROVIDER_TARGETS = { 1: 5_000, 2: 8_000 };

export async function providerScenario(ctx) {
  const { log } = ctx;
  const bundle = ctx.config.providerBundle ?? (await bundleInstance());
  const result = {};
  for (const provider of ["postgres", "redis"]) {
    if (provider === "redis" && !ctx.redis) {
      result.redis = { skipped: ctx.unavailable["app-redis"] ?? "Redis not reachable" };
      continue;
    }
    result[provider] = {};
    for (const instances of [1, 2]) {
      log(`provider: ${provider}, ${instances} instance(s) publishing`);
      try {
        result[provider][instances] = await measure(ctx, bundle, provider, instances);
        const r = result[provider][instances];
        log(
          `  ${r.msgPerSec.toFixed(0)} msg/s (median of ${r.runs.length}), lost ${r.lost}, gaps ${r.gaps}, out of order ${r.outOfOrder}, mean batch ${r.meanBatch.toFixed(1)}, commit p50 ${r.commitP50.toFixed(2)} ms`,
        );
      } catch (error) {
        log(`  failed: ${error.message}`);
        result[provider][instances] = { error: String(error.message) };
      }
    }
  }
  return result;
}

/** The provider and its subscriber as one ESM file a plain Node worker can import. */
async function bundleInstance() {
  const outfile = path.join(resultsDir, "provider-bench", "bench-instance.mjs");
  await build({
    entryPoints: [path.join(root, "bench/provider/bench-instance.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: path.join(root, "tsconfig.json"),
    outfile,
    logLevel: "warning",
  });
  return outfile;
}

async function measure(ctx, bundle, provider, instances) {
  const { config } = ctx;
  const prefix = provider === "redis" ? ctx.redis.newPrefix() : undefined;
  const workers = Array.from({ length: instances }, (_, i) =>
    forkWorker(path.join(root, "bench/provider/worker.mjs"), [], {
      env: { PROVIDER_BUNDLE: bundle },
      label: `provider-${provider}-${i}`,
    }),
  );
  const calls = workers.map((worker) => rpcClient(worker));
  try {
    await Promise.all(
      calls.map((call, i) =>
        call("start", {
          provider,
          databaseUrl: ctx.db.url,
          redisUrl: ctx.redis?.url,
          keyPrefix: prefix,
          instanceId: `bench-${provider}-${i}`,
          channel: CHANNEL,
        }),
      ),
    );
    await round(calls, { count: WARM_UP, concurrency: config.providerConcurrency });
    const runs = [];
    for (let r = 0; r < config.runs; r++)
      runs.push(
        await round(calls, {
          count: Math.round(config.providerMessages / instances),
          concurrency: config.providerConcurrency,
        }),
      );
    const pick = (key) => median(runs.map((run) => run[key]));
    const sum = (key) => runs.reduce((s, run) => s + run[key], 0);
    return {
      instances,
      messages: config.providerMessages,
      concurrency: config.providerConcurrency,
      runs,
      msgPerSec: pick("msgPerSec"),
      publishP50: pick("publishP50"),
      publishP99: pick("publishP99"),
      meanBatch: pick("meanBatch"),
      commitP50: pick("commitP50"),
      commitP99: pick("commitP99"),
      lost: sum("lost"),
      gaps: sum("gaps"),
      duplicates: sum("duplicates"),
      outOfOrder: sum("outOfOrder"),
      failed: sum("failed"),
    };
  } finally {
    await Promise.all(calls.map((call) => call("stop").catch(() => undefined)));
    await Promise.all(workers.map((worker) => stopChild(worker)));
    if (prefix) await ctx.redis.deleteKeys(prefix).catch(() => undefined);
  }
}

/** Every worker publishes `count` at once; then each subscriber must have been sent them all. */
async function round(calls, { count, concurrency }) {
  await Promise.all(calls.map((call) => call("reset")));
  const published = await Promise.all(
    calls.map((call, i) => call("publish", { count, concurrency, channel: CHANNEL, tag: i })),
  );
  const total = count * calls.length;
  const seen = await Promise.all(
    calls.map((call) => call("received", { expected: total, timeoutMs: 30_000 })),
  );
  const slowest = Math.max(...published.map((p) => p.ms));
  return {
    msgPerSec: total / (slowest / 1000),
    publishP50: median(published.map((p) => p.p50)),
    publishP99: Math.max(...published.map((p) => p.p99)),
    failed: published.reduce((s, p) => s + p.failed, 0),
    lost: seen.reduce((s, r) => s + Math.max(0, total - r.distinct), 0),
    gaps: seen.reduce((s, r) => s + r.gaps, 0),
    duplicates: seen.reduce((s, r) => s + r.duplicates, 0),
    outOfOrder: seen.reduce((s, r) => s + r.outOfOrder, 0),
    meanBatch: median(seen.map((r) => r.meanBatch)),
    maxBatch: Math.max(...seen.map((r) => r.maxBatch)),
    commitP50: median(seen.map((r) => r.commitP50)),
    commitP99: Math.max(...seen.map((r) => r.commitP99)),
    errors: seen.flatMap((r) => r.errors),
  };
}
