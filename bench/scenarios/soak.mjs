// @ts-check
/**
 * Soak: our app for BENCH_SOAK_MS under steady churn (subscribers replaced in a loop) and steady
 * publishing to a channel of steady subscribers; server RSS sampled every few seconds.
 */
import { nowMs, sleep } from "../lib/clock.mjs";
import { cpuMs, rssBytes } from "../lib/procstat.mjs";
import { slope } from "../lib/stats.mjs";
import { Load } from "../load/load.mjs";
import { launch } from "../servers/launch.mjs";

export async function soakScenario(ctx) {
  const { config, log } = ctx;
  const durationMs = config.soakMs;
  const steady = 200;
  const churnOpen = 50;
  const churnIntervalMs = 50;
  const rate = 50;
  log(
    `soak: ${(durationMs / 1000).toFixed(0)} s, ${steady} steady subscribers, ${rate} msg/s, churn ${1000 / churnIntervalMs}/s over ${churnOpen}`,
  );
  const server = await launch("app", { label: "soak" });
  const load = await Load.start({ subscriberProcs: 2, label: "soak" });
  try {
    await load.publish("init", { target: server.publishTarget("soak") });
    await load.connect(server.subscribeTarget("soak"), steady, { concurrency: 32 });
    await load.waitQuiet(server.pid, { limitMs: 30_000 });
    await load.reset();
    const samples = [];
    const t0 = nowMs();
    const cpu0 = cpuMs(server.pid);
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push({ t: (nowMs() - t0) / 1000, rss: rssBytes(server.pid) });
        await sleep(2000);
      }
    })();
    const [churn, pub] = await Promise.all([
      load.workers[0].call("churn", {
        target: server.subscribeTarget("soak-churn"),
        open: churnOpen,
        intervalMs: churnIntervalMs,
        durationMs,
      }),
      load.publish("paced", { rate, durationMs, maxInFlight: 16 }),
    ]);
    sampling = false;
    await sampler;
    const stats = await load.waitForDeliveries(pub.sent * steady, { limitMs: 10_000 });
    await load.workers[0].call("closeAll");
    await sleep(3000);
    const after = rssBytes(server.pid);
    // Ignore the first quarter (heap growing to its working size). RSS saws up and down with
    // garbage collection: compare the troughs (minimum of each remaining quarter), not the peaks.
    const tail = samples.filter((s) => s.t >= durationMs / 4000);
    const quarters = [1, 2, 3].map((q) => {
      const inQuarter = tail.filter(
        (s) => s.t >= (q * durationMs) / 4000 && s.t < ((q + 1) * durationMs) / 4000 + 0.5,
      );
      const low = inQuarter.reduce((min, s) => (s.rss < min.rss ? s : min), inQuarter[0]);
      return low ? { t: low.t, rss: low.rss } : null;
    });
    const troughs = /** @type {{ t: number, rss: number }[]} */ (quarters.filter(Boolean));
    const mbPerMin = slope(troughs.map((s) => ({ x: s.t / 60, y: s.rss / 2 ** 20 })));
    const result = {
      durationMs,
      steady,
      churnOpen,
      churned: churn.opened,
      churnFailed: churn.failed,
      published: pub.sent,
      expected: pub.sent * steady,
      delivered: stats.unique,
      lost: pub.sent * steady - stats.unique,
      serverCpuShare: (cpuMs(server.pid) - cpu0) / (nowMs() - t0 || 1),
      samples,
      rssAfterChurnStopped: after,
      troughs,
      troughSlopeMbPerMin: mbPerMin,
      samplesSlopeMbPerMin: slope(tail.map((s) => ({ x: s.t / 60, y: s.rss / 2 ** 20 }))),
      rssFirstTail: tail[0]?.rss,
      rssLast: samples.at(-1)?.rss,
      rssMax: Math.max(...samples.map((s) => s.rss)),
    };
    log(
      `  ${churn.opened} connects, ${pub.sent} published, lost ${result.lost}; RSS troughs ${troughs.map((s) => (s.rss / 2 ** 20).toFixed(0)).join(" → ")} MB (${mbPerMin.toFixed(2)} MB/min)`,
    );
    return result;
  } finally {
    await load.stop();
    await server.stop();
  }
}
