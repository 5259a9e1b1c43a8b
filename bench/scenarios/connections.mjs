// @ts-check
/**
 * Connections: idle subscribers held by one instance, raised in steps (each subscriber on its own
 * channel, so no onJoin traffic), with RSS per connection and the set-up rate; then the same set-up
 * into one shared channel (every newcomer's onJoin goes to every member), and what heartbeats cost
 * next to the floor of each server: an empty request (Next's: the empty App Router route).
 */
import { sleep } from "../lib/clock.mjs";
import { cpuMs, rssBytes } from "../lib/procstat.mjs";
import { Load } from "../load/load.mjs";
import { selected } from "../lib/config.mjs";
import { appKinds, launch } from "../servers/launch.mjs";

/** Our app under `next start`, under `npm start`'s Node server, and the ceiling. */
const KINDS = ["app", "app-node", "bare"];

/**
 * An empty request on each server: app/bench/empty through Next, a 404 on bare node:http. Shaped
 * like the heartbeat it is compared with: a POST (Next builds a body stream for every POST) with
 * a subscription id's worth of query (`?id=` and 20 characters), which Next parses for every route
 * before the handler runs. Runs before 2026-11-30 priced the empty route without the query.
 */
const FLOOR_QUERY = `?id=${"x".repeat(20)}`;
const FLOOR = {
  app: { path: `/bench/empty${FLOOR_QUERY}`, method: "POST", expect: 204 },
  "app-node": { path: `/bench/empty${FLOOR_QUERY}`, method: "POST", expect: 204 },
  bare: { path: `/floor${FLOOR_QUERY}`, method: "POST", expect: 404 },
};

export async function connectionsScenario(ctx) {
  const { log } = ctx;
  const result = {};
  for (const kind of KINDS.filter(selected)) {
    log(`connections: ${kind}`);
    try {
      result[kind] = await idleSteps(ctx, kind);
    } catch (error) {
      log(`  failed: ${error.message}`);
      result[kind] = { error: String(error.message) };
    }
  }
  try {
    result.sharedChannel = await sharedChannel(ctx);
  } catch (error) {
    result.sharedChannel = { error: String(error.message) };
  }
  return result;
}

async function idleSteps(ctx, kind) {
  const { config, log } = ctx;
  const server = await launch(kind, { label: `connections-${kind}` });
  const load = await Load.start({ subscriberProcs: config.subscriberProcs, label: "connections" });
  try {
    await load.publish("init", { target: server.publishTarget("warmup") });
    await load.connect(server.subscribeTarget("warmup"), 10, { concurrency: 10 });
    await load.closeAll();
    await sleep(1000);
    const rssBase = rssBytes(server.pid);
    const steps = [];
    let total = 0;
    for (const target of config.connectionSteps) {
      const add = target - total;
      const cpuBefore = cpuMs(server.pid);
      const connect = await load.connect(server.subscribeTarget("idle{i}"), add, {
        concurrency: 64,
        firstIndex: total,
        limitMs: config.stepLimitMs,
      });
      await load.waitQuiet(server.pid, { limitMs: 30_000, quietMs: 1000 });
      const cpu = cpuMs(server.pid) - cpuBefore;
      const { open, closedUnexpectedly } = await load.stats({ histogram: false });
      total = target;
      const rss = rssBytes(server.pid);
      const step = {
        target,
        open,
        failed: connect.failed,
        errors: connect.errors,
        closedUnexpectedly,
        setupPerSec: connect.connected / (connect.ms / 1000),
        cpuMsPerConnect: cpu / Math.max(1, connect.connected),
        rss,
        rssPerConnection: (rss - rssBase) / Math.max(1, open),
      };
      steps.push(step);
      log(
        `  ${open}/${target} open, ${step.setupPerSec.toFixed(0)} streams/s, RSS ${(rss / 2 ** 20).toFixed(0)} MB, ${(step.rssPerConnection / 1024).toFixed(1)} KB/connection${connect.failed ? `, ${connect.failed} failed ${JSON.stringify(connect.errors)}` : ""}`,
      );
      if (open < target * 0.9) break;
    }
    // Heartbeat and floor take turns, three rounds each, and each reports its median round: a
    // single pair read the JIT's and the box's drift between the two as a cost.
    const heartbeats = [];
    const floors = [];
    for (let round = 0; round < COST_ROUNDS; round++) {
      if (appKinds.has(kind))
        heartbeats.push(
          await requestCost(ctx, server, load, "heartbeats", { count: heartbeatCount(ctx) }),
        );
      floors.push(
        await requestCost(ctx, server, load, "requests", {
          ...FLOOR[kind],
          count: heartbeatCount(ctx),
        }),
      );
    }
    return { rssBase, steps, heartbeat: medianRound(heartbeats), floor: medianRound(floors) };
  } finally {
    await load.stop();
    await server.stop();
  }
}

const heartbeatCount = (ctx) => (ctx.config.quick ? 300 : 2000);
const COST_ROUNDS = 3;

/** The round with the median CPU per request; null when none ran. */
function medianRound(rounds) {
  if (rounds.length === 0) return null;
  const sorted = [...rounds].sort((a, b) => a.cpuMsPerRequest - b.cpuMsPerRequest);
  return { ...sorted[Math.floor(sorted.length / 2)], rounds: rounds.length };
}

/**
 * What one request costs the server, with the idle subscribers still connected: `POST
 * /event-heartbeat` (op "heartbeats") or an empty request (op "requests").
 */
async function requestCost(ctx, server, load, op, args) {
  // Warm-up: a route's module loads on its first request, and V8 optimises the path over the
  // next few hundred.
  await load.publish(op, { ...args, inFlight: 8, count: 500 });
  const cpuBefore = cpuMs(server.pid);
  const result = await load.publish(op, { inFlight: 8, ...args });
  const cpu = cpuMs(server.pid) - cpuBefore;
  const perSec = result.sent / ((result.endedAt - result.startedAt) / 1000);
  const cpuMsPerRequest = cpu / Math.max(1, result.sent);
  ctx.log(
    `  ${op === "heartbeats" ? "heartbeats" : `${args.path}`}: ${perSec.toFixed(0)}/s, ${cpuMsPerRequest.toFixed(2)} ms CPU each` +
      (op === "heartbeats"
        ? ` → one core pulses ${(10_000 / cpuMsPerRequest).toFixed(0)} subscribers at the default 10 s interval`
        : "") +
      (result.failed ? `, ${result.failed} failed (${result.firstError})` : ""),
  );
  return {
    requests: result.sent,
    failed: result.failed,
    perSec,
    cpuMsPerRequest,
    // The name the report has always read.
    cpuMsPerHeartbeat: cpuMsPerRequest,
    subscribersPerCoreAt10s: 10_000 / cpuMsPerRequest,
    ...(args.path ? { path: args.path } : {}),
  };
}

/**
 * The reconnect herd: N subscribers into one channel at once. On our app every newcomer's onJoin
 * goes to every member (N²/2 frames); bare node:http only accepts the streams, which is the time
 * the issue's target compares with. `next start` is left out at 5,000 (minutes of Next's
 * per-request cost on top of the frames).
 */
const HERD_KINDS = ["bare", "app-node", "app"];

function herdSizes(ctx, kind) {
  if (ctx.config.quick) return [200];
  return kind === "app" ? [250, 1000] : [250, 1000, 5000];
}

async function sharedChannel(ctx) {
  const rows = [];
  for (const kind of HERD_KINDS.filter(selected))
    for (const n of herdSizes(ctx, kind)) {
      try {
        rows.push(await herd(ctx, kind, n));
      } catch (error) {
        rows.push({ kind, n, error: String(error.message) });
      }
    }
  return rows;
}

async function herd(ctx, kind, n) {
  const { config, log } = ctx;
  const server = await launch(kind, { label: `connections-shared-${kind}-${n}` });
  const load = await Load.start({ subscriberProcs: config.subscriberProcs, label: "shared" });
  try {
    await load.publish("init", { target: server.publishTarget("warmup") });
    const cpuBefore = cpuMs(server.pid);
    const connect = await load.connect(server.subscribeTarget("lobby"), n, {
      concurrency: 64,
      limitMs: config.stepLimitMs,
    });
    const settle = await load.waitQuiet(server.pid, { limitMs: config.stepLimitMs });
    const stats = await load.stats({ histogram: false });
    const seconds = (connect.ms + settle.ms) / 1000;
    const row = {
      kind,
      n,
      open: stats.open,
      connectSeconds: connect.ms / 1000,
      settleSeconds: settle.ms / 1000,
      settled: settle.quiet,
      setupPerSec: stats.open / seconds,
      framesReceived: stats.lines,
      bytesReceived: stats.bytes,
      serverCpuMs: cpuMs(server.pid) - cpuBefore,
    };
    log(
      `  herd ${kind} N=${n}: ${stats.open} open, quiet after ${seconds.toFixed(1)} s, ${row.framesReceived} frames / ${(row.bytesReceived / 2 ** 20).toFixed(0)} MB received`,
    );
    return row;
  } finally {
    await load.stop();
    await server.stop();
  }
}
