// @ts-check
/**
 * One provider instance in its own process (forked by bench/scenarios/provider.mjs): publishes with
 * `notifyChannel` from many concurrent loops, and reports what its local subscriber was sent.
 */
import { pathToFileURL } from "node:url";
import { serveRpc } from "../lib/rpc.mjs";

const bundle = process.env.PROVIDER_BUNDLE;
if (!bundle) throw new Error("PROVIDER_BUNDLE is not set: bench/scenarios/provider.mjs forks this");
const { createBenchInstance } = await import(pathToFileURL(bundle).href);
let instance = null;

/** The `p`th percentile of sorted `values` (NaN when empty). */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

serveRpc({
  async start(init) {
    instance = await createBenchInstance(init);
    return {};
  },

  /** `count` messages from `concurrency` loops, each awaiting its publish (like HTTP publishers). */
  async publish({ count, concurrency, channel, tag }) {
    const latencies = [];
    let next = 0;
    let failed = 0;
    const started = performance.now();
    const loop = async () => {
      while (next < count) {
        const n = next++;
        const sent = performance.now();
        try {
          await instance.events.notifyChannel(channel, "cmd.n", { tag, n });
          latencies.push(performance.now() - sent);
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    const ms = performance.now() - started;
    latencies.sort((a, b) => a - b);
    return {
      ms,
      failed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  },

  /** Waits (polling every 20 ms, up to `timeoutMs`) until `expected` frames arrived; summarizes. */
  async received({ expected, timeoutMs }) {
    const started = performance.now();
    while (instance.received.length < expected && performance.now() - started < timeoutMs)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const ids = instance.received;
    const distinct = new Set(ids).size;
    let outOfOrder = 0;
    for (let i = 1; i < ids.length; i++) if (ids[i] <= ids[i - 1]) outOfOrder++;
    const first = Math.min(...ids);
    const last = Math.max(...ids);
    const batches = instance.batches.map((batch) => batch.size);
    const commits = instance.batches.map((batch) => batch.commitMs).sort((a, b) => a - b);
    return {
      count: ids.length,
      distinct,
      duplicates: ids.length - distinct,
      outOfOrder,
      first,
      last,
      // Ids between the first and the last that this subscriber was never sent.
      gaps: ids.length ? last - first + 1 - distinct : 0,
      batches: batches.length,
      meanBatch: batches.length ? batches.reduce((s, n) => s + n, 0) / batches.length : 0,
      maxBatch: batches.length ? Math.max(...batches) : 0,
      commitP50: percentile(commits, 50),
      commitP99: percentile(commits, 99),
      errors: instance.errors.slice(0, 3),
    };
  },

  async reset() {
    instance.received.length = 0;
    instance.batches.length = 0;
    return {};
  },

  async stop() {
    await instance?.close();
    instance = null;
    return {};
  },
});
