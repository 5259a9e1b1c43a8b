// @ts-check
/**
 * `--cpu-prof` of our app under the fan-out workload (N = 1,000): the samples are split into the
 * connect phase (every newcomer's onJoin goes to every member) and the publish burst, and each
 * phase's top frames are mapped back to source through the build's source maps.
 */
import { mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { nowMs, sleep } from "../lib/clock.mjs";
import { Load } from "../load/load.mjs";
import { summarizeProfile } from "../report/cpuprofile.mjs";
import { selected } from "../lib/config.mjs";
import { launch, resultsDir, root } from "../servers/launch.mjs";
import { paced, withPair } from "./pair.mjs";

/** Pair profiles: result key, server kind, what the tables call it. */
const PAIRS = [
  ["cross", "app-pg", "Postgres"],
  ["crossRedis", "app-redis", "Redis"],
];

export async function profileScenario(ctx) {
  const result = {};
  if (selected("app")) result.fanout = await profileFanout(ctx);
  for (const [key, kind, provider] of PAIRS) {
    if (!selected(kind)) continue;
    if (ctx.unavailable[kind]) result[key] = { provider, skipped: ctx.unavailable[kind] };
    else
      result[key] = await profileCross(ctx, kind, provider).catch((error) => ({
        provider,
        error: String(error.message ?? error),
      }));
  }
  return result;
}

/** Newest .cpuprofile in `dir`, or null. */
function profileIn(dir) {
  const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
  return file ? path.join(dir, file) : null;
}

/**
 * Both instances of the Postgres (or Redis) pair with --cpu-prof while the publisher sends to A at a
 * rate A sustains: what one publish costs on A, what one received message costs on B.
 */
async function profileCross(ctx, kind, provider) {
  const { config, log } = ctx;
  const rate = 300;
  const dirs = ["A", "B"].map((side) =>
    path.join(resultsDir, `prof-${kind}-${side}-${Date.now()}`),
  );
  for (const dir of dirs) mkdirSync(dir, { recursive: true });
  log(`profile: ${provider} pair with --cpu-prof, ${rate} msg/s to A, subscribers on B`);
  let window = null;
  /** @type {any} set by the callback, before withPair resolves */
  let run = null;
  await withPair(
    ctx,
    kind,
    "profile",
    async (pair) => {
      const from = nowMs();
      run = await paced(pair, { rate, durationMs: config.quick ? 2000 : 5000 });
      window = { from, to: nowMs() };
    },
    { cpuProfDirs: dirs },
  );
  const sides = {};
  for (const [i, side] of ["A", "B"].entries()) {
    const file = profileIn(dirs[i]);
    if (!file) {
      sides[side] = { error: "no .cpuprofile was written" };
      continue;
    }
    sides[side] = {
      ...summarizeProfile(file, root, { window }),
      file: path.relative(root, file),
      messages: run.published,
    };
  }
  return { provider, rate, run, sides };
}

async function profileFanout(ctx) {
  const { config, log } = ctx;
  const n = config.quick ? 200 : 1000;
  const dir = path.join(resultsDir, `prof-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  log(`profile: our app with --cpu-prof, N=${n} (${path.relative(root, dir)})`);
  const server = await launch("app", { label: `profile-app-${n}`, cpuProfDir: dir });
  const load = await Load.start({ subscriberProcs: config.subscriberProcs, label: "profile" });
  const phases = {};
  try {
    await load.publish("init", { target: server.publishTarget("bench") });
    await load.publish("burst", { count: 20, inFlight: 4 });
    let from = nowMs();
    await load.connect(server.subscribeTarget("bench"), n, {
      concurrency: 64,
      limitMs: config.stepLimitMs,
    });
    await load.waitQuiet(server.pid, { limitMs: config.stepLimitMs });
    phases.connect = { from, to: nowMs() };
    await sleep(300);

    // Publishing alone (nobody on the channel): the cost of one raw POST through Next.
    from = nowMs();
    await load.publish("init", { target: server.publishTarget("nobody") });
    const alone = await load.publish("burst", { count: config.quick ? 200 : 1000, inFlight: 8 });
    phases.publishOnly = { from, to: nowMs(), publishes: alone.sent };
    await sleep(300);

    await load.publish("init", { target: server.publishTarget("bench") });
    const open = (await load.stats({ histogram: false })).open;
    await load.reset();
    from = nowMs();
    const messages = Math.max(20, Math.round(config.fanoutDeliveries / n));
    const pub = await load.publish("burst", { count: messages, inFlight: config.inFlight });
    const stats = await load.waitForDeliveries(pub.sent * open, { limitMs: config.stepLimitMs });
    phases.fanout = { from, to: nowMs(), publishes: pub.sent, deliveries: stats.unique };
  } finally {
    await load.stop();
    await server.stop();
  }
  const full = profileIn(dir);
  if (!full) return { n, error: "no .cpuprofile was written", dir };
  const summary = {};
  for (const [name, window] of Object.entries(phases))
    summary[name] = { ...window, ...summarizeProfile(full, root, { window }) };
  log(`profile: ${path.relative(root, full)}`);
  return { n, file: path.relative(root, full), phases: summary };
}
