// @ts-check
/**
 * Fan-out: one publisher, N subscribers on one instance. Per server and N: connect, wait for the
 * server to go quiet (our app sends every member an onJoin for every newcomer), a paced latency
 * phase (20 msg/s), then `runs` throughput runs (`inFlight` publishes outstanding).
 */
import { sleep } from "../lib/clock.mjs";
import { summarize } from "../lib/histogram.mjs";
import { cpuMs, rssBytes } from "../lib/procstat.mjs";
import { median } from "../lib/stats.mjs";
import { Load } from "../load/load.mjs";
import { launch } from "../servers/launch.mjs";
import { withRedisPrefix } from "./pair.mjs";

export async function fanoutScenario(ctx) {
  const { config, log } = ctx;
  const results = [];
  for (const n of config.fanoutN)
    for (const kind of ctx.fanoutServers) {
      if (ctx.unavailable[kind]) {
        log(`fan-out: ${kind}, N=${n} skipped (${ctx.unavailable[kind]})`);
        results.push({ kind, n, skipped: ctx.unavailable[kind] });
        continue;
      }
      log(`fan-out: ${kind}, N=${n}`);
      try {
        results.push(await fanoutOne(ctx, kind, n));
      } catch (error) {
        log(`  failed: ${error.message}`);
        results.push({ kind, n, error: String(error.message) });
      }
      const last = results.at(-1);
      if (!last.error)
        log(
          `  ${Math.round(last.median.deliveriesPerSec)} deliveries/s, p50 ${last.median.p50.toFixed(1)} ms, p99 ${last.median.p99.toFixed(1)} ms, ${last.median.cpuUsPerDelivery.toFixed(2)} µs CPU/delivery`,
        );
    }
  return results;
}

function fanoutOne(ctx, kind, n) {
  return withRedisPrefix(ctx, kind, (redis) => fanoutRuns(ctx, kind, n, redis));
}

async function fanoutRuns(ctx, kind, n, redis) {
  const { config } = ctx;
  const server = await launch(kind, {
    databaseUrl: ctx.db?.url,
    redis,
    label: `fanout-${kind}-${n}`,
  });
  const load = await Load.start({ subscriberProcs: config.subscriberProcs, label: "fanout" });
  try {
    const { pid } = server;
    await load.publish("init", { target: server.publishTarget("bench") });
    // Warm-up: route modules load on first use.
    await load.publish("burst", { count: 20, inFlight: 4 });
    await sleep(200);
    const rssBefore = rssBytes(pid);
    // On our app, N = 5,000 joining one channel is the reconnect herd: 12.5 million onJoin frames.
    const connect = await load.connect(server.subscribeTarget("bench"), n, {
      concurrency: 64,
      limitMs: config.stepLimitMs,
    });
    const settle = await load.waitQuiet(pid, { limitMs: config.stepLimitMs });
    const rssConnected = rssBytes(pid);
    const { open, lines } = await load.stats({ histogram: false });
    if (open === 0) throw new Error(`no subscriber connected (${JSON.stringify(connect.errors)})`);
    if (!settle.quiet)
      // Measuring now would measure the set-up traffic (our app's onJoin frames), not the fan-out.
      throw new Error(
        `set-up not finished after ${((connect.ms + settle.ms) / 1000).toFixed(0)} s: ${open} connected, ${lines.toLocaleString("en-US")} of ~${((n * n) / 2).toLocaleString("en-US")} onJoin frames received; runs skipped`,
      );

    await load.reset();
    const pacedPub = await load.publish("paced", {
      rate: 20,
      durationMs: config.quick ? 1000 : 3000,
      maxInFlight: 8,
    });
    const pacedStats = await load.waitForDeliveries(pacedPub.sent * open, { limitMs: 30_000 });
    const paced = summarize(pacedStats.histogram);

    const messages = Math.max(20, Math.round(config.fanoutDeliveries / n));
    const runs = [];
    for (let r = 0; r < config.runs; r++) {
      await load.reset();
      const cpuBefore = cpuMs(pid);
      const pub = await load.publish("burst", { count: messages, inFlight: config.inFlight });
      const stats = await load.waitForDeliveries(pub.sent * open, {
        limitMs: config.stepLimitMs,
      });
      const cpu = cpuMs(pid) - cpuBefore;
      const seconds = (stats.lastRecv - pub.startedAt) / 1000;
      const latency = summarize(stats.histogram);
      runs.push({
        messages,
        published: pub.sent,
        publishFailed: pub.failed,
        publishError: pub.firstError,
        expected: pub.sent * open,
        delivered: stats.unique,
        complete: stats.complete,
        seconds,
        deliveriesPerSec: stats.unique / seconds,
        publishesPerSec: pub.sent / ((pub.endedAt - pub.startedAt) / 1000),
        publishRttP50: summarize(pub.rtt).p50,
        p50: latency.p50,
        p99: latency.p99,
        max: latency.max,
        serverCpuMs: cpu,
        cpuUsPerDelivery: (cpu * 1000) / stats.unique,
        serverCoreShare: cpu / 1000 / seconds,
      });
      await sleep(200);
    }
    const pick = (key) => median(runs.map((run) => run[key]));
    return {
      kind,
      n,
      connected: open,
      connect,
      setupSeconds: (connect.ms + settle.ms) / 1000,
      settled: settle.quiet,
      rssBefore,
      rssConnected,
      rssEnd: rssBytes(pid),
      paced,
      runs,
      median: {
        deliveriesPerSec: pick("deliveriesPerSec"),
        publishesPerSec: pick("publishesPerSec"),
        publishRttP50: pick("publishRttP50"),
        p50: pick("p50"),
        p99: pick("p99"),
        max: pick("max"),
        cpuUsPerDelivery: pick("cpuUsPerDelivery"),
        serverCoreShare: pick("serverCoreShare"),
      },
      allComplete: runs.every((run) => run.complete),
    };
  } finally {
    await load.stop();
    await server.stop();
  }
}
