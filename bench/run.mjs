// @ts-check
/**
 * `npm run bench`: our app against bare node:http, better-sse and socket.io + postgres-adapter,
 * over loopback, every load generator in its own process. Writes docs/benchmarks.md and raw JSON
 * in bench/.results/. Knobs: see bench/lib/config.mjs (BENCH_QUICK=1 for a smoke run;
 * BENCH_MERGE=<results JSON> to merge this run's rows over an earlier run's in the report).
 *
 * `node bench/run.mjs --report <results JSON>` (`npm run bench:report -- <file>`) runs nothing: it
 * rewrites docs/benchmarks.md from a saved run's results (or a merged-*.json), so that a change to
 * the report needs no 20-minute run to show.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { liveChildren, onInterrupt, stopAll } from "./lib/children.mjs";
import { config, enabled, selected } from "./lib/config.mjs";
import {
  foreignCores,
  startForeignLoadSampler,
  stopForeignLoadSampler,
  waitForQuietBox,
} from "./lib/foreign-load.mjs";
import { describeMachine } from "./lib/machine.mjs";
import { createThrowawayDatabase } from "./lib/postgres.mjs";
import { openRedisScratch } from "./lib/redis.mjs";
import {
  ensureBuild,
  postgresProviderAvailable,
  redisProviderAvailable,
} from "./lib/app-build.mjs";
import { writeReport } from "./report/markdown.mjs";
import { mergeResults } from "./report/merge.mjs";
import { PAIR_KINDS } from "./scenarios/pair.mjs";
import { fanoutScenario } from "./scenarios/fanout.mjs";
import { crossInstanceScenario } from "./scenarios/cross-instance.mjs";
import { connectionsScenario } from "./scenarios/connections.mjs";
import { payloadScenario } from "./scenarios/payload.mjs";
import { soakScenario } from "./scenarios/soak.mjs";
import { profileScenario } from "./scenarios/profile.mjs";
import { providerScenario } from "./scenarios/provider.mjs";
import { defaultsScenario } from "./scenarios/defaults.mjs";
import { buildIdsSeen, resultsDir, root } from "./servers/launch.mjs";

const startedAt = Date.now();
const log = (message) =>
  console.log(`[bench ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${message}`);

let db = null;
async function dropDatabase() {
  if (!db) return;
  const { name } = db;
  await db.drop().then(
    () => log(`dropped database ${name}`),
    (error) => log(`could not drop ${name}: ${error.message}`),
  );
  db = null;
}
let redis = null;
async function deleteRedisKeys() {
  if (!redis) return;
  await redis.deleteAll().then(
    (count) => count && log(`deleted ${count} leftover Redis key(s)`),
    (error) => log(`could not delete the bench's Redis keys: ${error.message}`),
  );
}
onInterrupt(() => Promise.all([dropDatabase(), deleteRedisKeys()]));

/** A results JSON of an earlier run (bench/.results/results-*.json or merged-*.json). */
function readResults(name) {
  const file = path.resolve(name);
  const results = JSON.parse(readFileSync(file, "utf8"));
  if (!results.machine || !results.config) throw new Error(`${file} is not a bench results JSON`);
  return { file, results };
}

/** The earlier results BENCH_MERGE names, read before anything runs (a typo fails at once). */
function readMergeBase() {
  if (!config.merge) return null;
  const { file, results: base } = readResults(config.merge);
  return { file, base };
}

/** `--report <results JSON>`: the report from saved results, with the notes they were saved with. */
async function reportOnly(name) {
  if (!name) throw new Error("usage: node bench/run.mjs --report <results JSON>");
  const { file, results } = readResults(name);
  const report = await writeReport(results, [...(results.notes ?? [])]);
  log(`wrote ${path.relative(root, report)} from ${path.relative(root, file)}`);
}

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  const merge = readMergeBase();
  if (merge) log(`BENCH_MERGE: the report merges this run over ${path.relative(root, merge.file)}`);
  startForeignLoadSampler();
  const notes = [];
  const build = await ensureBuild(log);
  notes.push(...build.notes);
  const providerReady = postgresProviderAvailable();
  db = await createThrowawayDatabase(config.databaseAdminUrl);
  log(`throwaway database ${db.name} (PostgreSQL ${db.serverVersion})`);

  // Why a server kind cannot run (its row says "skipped: …").
  const unavailable = {};
  if (!providerReady)
    unavailable["app-pg"] =
      "provider not available: no lib/next module wires lib/server-events-postgres (DATABASE_URL is ignored)";
  if (!redisProviderAvailable())
    unavailable["app-redis"] =
      "provider not available: no lib/next module wires lib/server-events-redis (REDIS_URL is ignored)";
  else
    try {
      redis = await openRedisScratch(config.redisUrl);
      log(`Redis ${redis.serverVersion} at ${config.redisUrl} (keys under sse:bench:<hex>:)`);
    } catch (error) {
      unavailable["app-redis"] = `Redis not reachable at ${config.redisUrl} (${error.message})`;
      log(`app-redis: ${unavailable["app-redis"]}`);
    }

  // The Node server runs on the same providers.
  for (const provider of ["pg", "redis"])
    if (unavailable[`app-${provider}`])
      unavailable[`app-node-${provider}`] = unavailable[`app-${provider}`];

  const machine = {
    ...describeMachine(root),
    postgres: db.serverVersion,
    redis: redis?.serverVersion ?? null,
    buildId: build.buildId,
  };
  const allServers = [
    "app",
    "app-node",
    ...(providerReady ? ["app-pg"] : []),
    ...(unavailable["app-redis"] ? [] : ["app-redis"]),
    "bare",
    "better-sse",
    "socketio",
  ];
  const ctx = {
    config,
    db,
    redis,
    log,
    notes,
    providerReady,
    unavailable,
    fanoutServers: config.servers ?? allServers,
    pairServers: PAIR_KINDS.filter(selected),
    // The single in-memory instances (one per serving mode) cross-instance rates are compared with.
    crossBaselines: ["app-node", "app"].filter(selected),
  };
  const results = { machine, config, providerReady, startedAt: new Date(startedAt).toISOString() };
  const resultsFile = path.join(
    resultsDir,
    `results-${new Date(startedAt).toISOString().replace(/[:.]/g, "-")}.json`,
  );
  const save = () => writeFileSync(resultsFile, JSON.stringify(results, null, 2));

  /** @type {[string, (ctx: any, results: object) => Promise<unknown>][]} */
  const scenarios = [
    ["fanout", fanoutScenario],
    ["cross", crossInstanceScenario],
    ["defaults", defaultsScenario],
    ["payload", payloadScenario],
    ["provider", providerScenario],
    ["connections", connectionsScenario],
    ["soak", soakScenario],
    ["profile", profileScenario],
  ];
  for (const [name, scenario] of scenarios) {
    if (!enabled(name)) continue;
    const quiet = await waitForQuietBox({ limitMs: config.quick ? 3000 : 30_000 });
    if (quiet.cores >= 0.3)
      log(`other processes are using ${quiet.cores.toFixed(1)} cores: the numbers will be noisy`);
    const began = Date.now();
    try {
      results[name] = await scenario(ctx, results);
    } catch (error) {
      log(`${name} failed: ${error.stack ?? error}`);
      results[name] = { error: String(error.message ?? error) };
    }
    const foreign = foreignCores(began);
    results.foreignLoad = { ...results.foreignLoad, [name]: foreign };
    log(
      `${name} done in ${((Date.now() - began) / 1000).toFixed(0)} s (other processes used ${foreign.toFixed(2)} cores on average)`,
    );
    save();
  }
  results.totalSeconds = (Date.now() - startedAt) / 1000;
  results.notes = notes;
  stopForeignLoadSampler();
  results.buildIds = [...buildIdsSeen];
  if (buildIdsSeen.size > 1)
    notes.push(
      `Someone rebuilt the app during this run: our app ran from builds ${results.buildIds.join(", ")}.`,
    );
  save();
  let report;
  if (merge) {
    const merged = mergeResults(
      merge.base,
      results,
      path.relative(root, merge.file),
      path.relative(root, resultsFile),
    );
    const mergedFile = path.join(
      resultsDir,
      `merged-${new Date(startedAt).toISOString().replace(/[:.]/g, "-")}.json`,
    );
    writeFileSync(mergedFile, JSON.stringify(merged, null, 2));
    log(`merged results in ${path.relative(root, mergedFile)}`);
    report = await writeReport(merged, [...merged.notes]);
  } else report = await writeReport(results, notes);
  log(`wrote ${path.relative(root, report)} (${results.totalSeconds.toFixed(0)} s in all)`);
}

const reportFlag = process.argv.indexOf("--report");
if (reportFlag >= 0)
  reportOnly(process.argv[reportFlag + 1]).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
else
  main()
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(async () => {
      await stopAll();
      await dropDatabase();
      await deleteRedisKeys();
      const left = liveChildren();
      if (left.length) console.error(`[bench] still running: ${left.join(", ")}`);
      if (existsSync(resultsDir)) log(`raw results in ${path.relative(root, resultsDir)}/`);
    });
