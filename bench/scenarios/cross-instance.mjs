// @ts-check
/**
 * Cross-instance: two instances on one Postgres (app-redis: one Redis), subscribers on B, publisher
 * on A, at the configured rates (several runs, medians) and then rising rates until one is not sustained
 * (sustained = no loss, ≥ 95 % of the rate published, p99 under 100 ms), and finally as fast as
 * the publisher gets answers (64 in flight). `app-node` and `app` (one in-memory instance of each
 * serving mode, publisher and subscribers on it) run the same steps: the baselines the cluster
 * rates of the same serving mode are compared with.
 */
import { median } from "../lib/stats.mjs";
import { paced, withPair } from "./pair.mjs";

/** ", 12 publishes refused (HTTP 429)" when the server answered some publishes with an error. */
const refused = (run) =>
  run.publishFailed > 0
    ? `, ${run.publishFailed} publishes refused (${run.publishError ?? "error"})`
    : "";

const RAMP = [2000, 3000, 4000, 6000, 8000, 12_000, 16_000];

export function sustained(run) {
  return (
    run.lost === 0 &&
    run.publishFailed === 0 &&
    run.achievedRate >= run.rate * 0.95 &&
    run.p99 < 100
  );
}

export async function crossInstanceScenario(ctx) {
  const { log } = ctx;
  const result = {};
  for (const kind of [...ctx.crossBaselines, ...ctx.pairServers]) {
    if (ctx.unavailable[kind]) {
      log(`cross-instance: ${kind} skipped (${ctx.unavailable[kind]})`);
      result[kind] = { skipped: ctx.unavailable[kind] };
      continue;
    }
    log(`cross-instance: ${kind}`);
    try {
      result[kind] = await withPair(ctx, kind, "cross", (pair) => crossRuns(ctx, pair));
    } catch (error) {
      log(`  failed: ${error.message}`);
      result[kind] = { error: String(error.message) };
    }
  }
  return result;
}

async function crossRuns(ctx, pair) {
  const { config, log } = ctx;
  const durationMs = config.crossSeconds * 1000;
  const rates = [];
  for (const rate of config.crossRates) {
    const runs = [];
    for (let r = 0; r < config.runs; r++) runs.push(await paced(pair, { rate, durationMs }));
    const pick = (key) => median(runs.map((run) => run[key]));
    const summary = {
      rate,
      runs,
      p50: pick("p50"),
      p99: pick("p99"),
      max: Math.max(...runs.map((run) => run.max)),
      lost: runs.reduce((s, run) => s + run.lost, 0),
      publishFailed: runs.reduce((s, run) => s + run.publishFailed, 0),
      duplicates: runs.reduce((s, run) => s + run.duplicates, 0),
      achievedRate: pick("achievedRate"),
      publishRttP50: pick("publishRttP50"),
      cpuMsPerMessageA: pick("cpuMsPerMessageA"),
      cpuMsPerMessageB: pick("cpuMsPerMessageB"),
      sustained: runs.every(sustained),
    };
    log(
      `  ${rate} msg/s: p50 ${summary.p50.toFixed(2)} ms, p99 ${summary.p99.toFixed(2)} ms, max ${summary.max.toFixed(1)} ms, lost ${summary.lost}, achieved ${summary.achievedRate.toFixed(0)}/s${refused(summary)}`,
    );
    rates.push(summary);
  }
  // Highest sustainable rate: climb until a rate is not sustained.
  let highest = rates.filter((r) => r.sustained).at(-1)?.runs[0] ?? null;
  const ramp = [];
  if (rates.every((r) => r.sustained))
    for (const rate of RAMP.filter((r) => r > Math.max(...config.crossRates))) {
      const run = await paced(pair, { rate, durationMs });
      ramp.push(run);
      log(
        `  ramp ${rate} msg/s: achieved ${run.achievedRate.toFixed(0)}/s, p99 ${run.p99.toFixed(1)} ms, lost ${run.lost}${refused(run)} → ${sustained(run) ? "sustained" : "not sustained"}`,
      );
      if (!sustained(run)) break;
      highest = run;
    }
  // Saturated: 20,000 messages, 64 in flight, as fast as A answers; B must still deliver them all.
  const saturated = await paced(pair, { rate: 20_000, durationMs: 1000, drainMs: 30_000 });
  log(
    `  saturated: ${saturated.achievedRate.toFixed(0)} msg/s published, p99 ${saturated.p99.toFixed(1)} ms, lost ${saturated.lost}${refused(saturated)}`,
  );
  return { subscribers: pair.subscribers, rates, ramp, highest, saturated };
}
