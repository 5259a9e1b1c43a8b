// @ts-check
import path from "node:path";
import { fileURLToPath } from "node:url";
import { forkWorker, stopChild } from "../lib/children.mjs";
import { sleep } from "../lib/clock.mjs";
import { createHistogram, merge } from "../lib/histogram.mjs";
import { cpuMs } from "../lib/procstat.mjs";
import { rpcClient } from "../lib/rpc.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The load generators of one scenario: subscriber workers and one publisher worker. */
export class Load {
  static async start({ subscriberProcs, label = "load" }) {
    const workers = Array.from({ length: subscriberProcs }, (_, i) => {
      const child = forkWorker(path.join(here, "subscribers.mjs"), [], {
        label: `${label}-subscribers-${i}`,
      });
      return { child, call: rpcClient(child) };
    });
    const publisherChild = forkWorker(path.join(here, "publisher.mjs"), [], {
      label: `${label}-publisher`,
    });
    return new Load(workers, { child: publisherChild, call: rpcClient(publisherChild) });
  }

  constructor(workers, publisher) {
    this.workers = workers;
    this.publisher = publisher;
  }

  /** Opens `total` subscriptions to `target`, split over the workers. `{i}` in it is the index. */
  async connect(target, total, { concurrency = 50, limitMs = 120_000, firstIndex = 0 } = {}) {
    const share = Math.ceil(total / this.workers.length);
    const results = await Promise.all(
      this.workers.map((worker, w) => {
        const count = Math.max(0, Math.min(share, total - w * share));
        return count === 0
          ? { connected: 0, failed: 0, errors: {}, ms: 0 }
          : worker.call("connect", {
              target,
              count,
              firstIndex: firstIndex + w * share,
              concurrency: Math.ceil(concurrency / this.workers.length),
              limitMs,
            });
      }),
    );
    const errors = {};
    for (const r of results)
      for (const [key, n] of Object.entries(r.errors)) errors[key] = (errors[key] ?? 0) + n;
    return {
      connected: results.reduce((s, r) => s + r.connected, 0),
      failed: results.reduce((s, r) => s + r.failed, 0),
      errors,
      ms: Math.max(...results.map((r) => r.ms)),
    };
  }

  reset(options = {}) {
    return Promise.all(this.workers.map((w) => w.call("reset", options)));
  }

  async stats({ histogram = true } = {}) {
    const parts = await Promise.all(this.workers.map((w) => w.call("stats", { histogram })));
    const merged = {
      received: 0,
      unique: 0,
      lines: 0,
      bytes: 0,
      open: 0,
      closedUnexpectedly: 0,
      firstRecv: NaN,
      lastRecv: NaN,
      minPerConnection: Infinity,
      histogram: histogram ? createHistogram() : null,
    };
    for (const p of parts) {
      for (const key of ["received", "unique", "lines", "bytes", "open", "closedUnexpectedly"])
        merged[key] += p[key];
      if (p.open > 0)
        merged.minPerConnection = Math.min(merged.minPerConnection, p.minPerConnection);
      if (!(merged.firstRecv <= p.firstRecv)) merged.firstRecv = p.firstRecv ?? merged.firstRecv;
      if (!(merged.lastRecv >= p.lastRecv)) merged.lastRecv = p.lastRecv ?? merged.lastRecv;
      if (merged.histogram) merge(merged.histogram, p.histogram);
    }
    if (merged.minPerConnection === Infinity) merged.minPerConnection = 0;
    return merged;
  }

  /** Waits until `expected` unique deliveries arrived, progress stalls for `stallMs`, or `limitMs`. */
  async waitForDeliveries(expected, { limitMs = 60_000, stallMs = 5000 } = {}) {
    const deadline = Date.now() + limitMs;
    let last = -1;
    let lastChange = Date.now();
    for (;;) {
      const s = await this.stats({ histogram: false });
      if (s.unique >= expected) break;
      if (s.unique !== last) {
        last = s.unique;
        lastChange = Date.now();
      }
      if (Date.now() - lastChange > stallMs || Date.now() > deadline) break;
      await sleep(50);
    }
    const final = await this.stats();
    // stats() collects the histograms by default: this one is never null.
    const histogram = /** @type {import("../lib/histogram.mjs").Histogram} */ (final.histogram);
    return { ...final, histogram, complete: final.unique >= expected };
  }

  /**
   * Waits until the server stops working (its CPU time and the bytes the subscribers receive stop
   * growing for `quietMs`): e.g. the onJoin frames of a big channel.
   */
  async waitQuiet(pid, { quietMs = 1000, limitMs = 120_000 } = {}) {
    const started = Date.now();
    let lastBytes = -1;
    let lastCpu = cpuMs(pid);
    let quietSince = Date.now();
    while (Date.now() - started < limitMs) {
      await sleep(250);
      const { bytes } = await this.stats({ histogram: false });
      const cpu = cpuMs(pid);
      // Less than 10 % of a core counts as idle.
      if (bytes !== lastBytes || cpu - lastCpu > 25) quietSince = Date.now();
      lastBytes = bytes;
      lastCpu = cpu;
      if (Date.now() - quietSince >= quietMs) return { quiet: true, ms: Date.now() - started };
    }
    return { quiet: false, ms: Date.now() - started };
  }

  closeAll() {
    return Promise.all(this.workers.map((w) => w.call("closeAll")));
  }

  publish(method, args) {
    return this.publisher.call(method, args);
  }

  async stop() {
    await Promise.allSettled([
      ...this.workers.map((w) => w.call("closeAll")),
      this.publisher.call("close"),
    ]);
    await Promise.all([
      ...this.workers.map((w) => stopChild(w.child)),
      stopChild(this.publisher.child),
    ]);
  }
}
