/**
 * `npm run bench`: our app against bare node:http, better-sse and socket.io + postgres-adapter,
 * over loopback, every load generator in its own process. Writes docs/benchmarks.md and raw JSON
 * in bench/.results/. Knobs: see bench/lib/config.mjs (BENCH_QUICK=1 for a smoke run).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { liveChildren, onInterrupt, stopAll } from "./lib/children.mjs";
import { config, enabled } from "./lib/config.mjs";
import {
  foreignCores,
  startForeignLoadSampler,
  stopForeignLoadSampler,
  waitForQuietBox,
} from "./lib/foreign-load.mjs";
import { describeMachine } from "./lib/machine.mjs";
import { createThrowawayDatabase } from "./lib/postgres.mjs";
import { ensureBuild, postgresProviderAvailable } from "./lib/app-build.mjs";
import { writeReport } from "./report/markdown.mjs";
import { fanoutScenario } from "./scenarios/fanout.mjs";
import { crossInstanceScenario } from "./scenarios/cross-instance.mjs";
import { connectionsScenario } from "./scenarios/connections.mjs";
import { payloadScenario } from "./scenarios/payload.mjs";
import { soakScenario } from "./scenarios/soak.mjs";
import { profileScenario } from "./scenarios/profile.mjs";
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
onInterrupt(dropDatabase);

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  startForeignLoadSampler();
  const notes = [];
  const build = await ensureBuild(log);
  notes.push(...build.notes);
  const providerReady = postgresProviderAvailable();
  db = await createThrowawayDatabase(config.databaseAdminUrl);
  log(`throwaway database ${db.name} (PostgreSQL ${db.serverVersion})`);

  const machine = { ...describeMachine(root), postgres: db.serverVersion, buildId: build.buildId };
  const allServers = [
    "app",
    ...(providerReady ? ["app-pg"] : []),
    "bare",
    "better-sse",
    "socketio",
  ];
  const ctx = {
    config,
    db,
    log,
    notes,
    providerReady,
    fanoutServers: config.servers ?? allServers,
  };
  const results = { machine, config, providerReady, startedAt: new Date(startedAt).toISOString() };
  const save = () =>
    writeFileSync(
      path.join(
        resultsDir,
        `results-${new Date(startedAt).toISOString().replace(/[:.]/g, "-")}.json`,
      ),
      JSON.stringify(results, null, 2),
    );

  const scenarios = [
    ["fanout", fanoutScenario],
    ["cross", crossInstanceScenario],
    ["payload", payloadScenario],
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
  const report = writeReport(results, notes);
  log(`wrote ${path.relative(root, report)} (${results.totalSeconds.toFixed(0)} s in all)`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopAll();
    await dropDatabase();
    const left = liveChildren();
    if (left.length) console.error(`[bench] still running: ${left.join(", ")}`);
    if (existsSync(resultsDir)) log(`raw results in ${path.relative(root, resultsDir)}/`);
  });
