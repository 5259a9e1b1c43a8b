// @ts-check
/**
 * Writes docs/benchmarks.md and its charts (docs/benchmarks/*.svg, report/charts.mjs) from one
 * run's results (or several merged, see report/merge.mjs).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fmt } from "../lib/stats.mjs";
import { root } from "../servers/launch.mjs";
import { connectionsSection, providerSection, soakSection } from "./capacity-sections.mjs";
import { renderCharts } from "./charts.mjs";
import { crossSection, fanoutSection, payloadSection } from "./delivery-sections.mjs";
import { profileSection } from "./profile-section.mjs";
import { table } from "./table.mjs";
import { evaluateCapacityTargets } from "./capacity-targets.mjs";
import { evaluateTargets } from "./targets.mjs";

const metLabel = (met) => (met === null ? "not measured" : met ? "**met**" : "**missed**");

export async function writeReport(results, notes = []) {
  const charts = await renderCharts(results);
  const out = [];
  // Every argument is its own block (tables need a blank line before them).
  const push = (...blocks) => {
    for (const block of blocks) out.push(block, "");
  };
  const m = results.machine;
  push(
    "# Benchmarks",
    `Written by \`npm run bench\` (bench/run.mjs) on ${m.date.slice(0, 16).replace("T", " ")} UTC` +
      `${results.merged ? ", merging rows from earlier runs (see the notes)" : ""}` +
      `${results.config.quick ? ` — **${results.merged ? "contains rows from a " : ""}BENCH_QUICK smoke run: small N, one run each; not the numbers to quote**` : ""}.` +
      " Do not edit by hand: run it again, or rewrite this page and its charts (`docs/benchmarks/`," +
      " rendered with Vega-Lite from the same results) from a saved run's results with" +
      " `node bench/run.mjs --report <results JSON>`. Raw JSON: `bench/.results/` (gitignored).",
  );

  push(
    "## Machine",
    table(
      ["Item", "Value"],
      [
        ["CPU", `${m.cpu}, ${m.cores} cores`],
        ["RAM", `${m.ramGb} GB`],
        ["OS", m.kernel],
        ["Node", m.node],
        ["PostgreSQL", m.postgres],
        ...(m.redis ? [["Redis", m.redis]] : []),
        ...Object.entries(m.packages).map(([name, version]) => [name, version]),
        ["App build", `.next BUILD_ID ${m.buildId}`],
        [
          "Run",
          `${results.config.runs} run(s) per measurement, ${fmt(results.totalSeconds)} s in all`,
        ],
      ],
    ),
  );
  const foreign = Object.entries(results.foreignLoad ?? {});
  if (foreign.length)
    notes.push(
      "CPU used by other processes on this box while each scenario ran (other people's builds and tests; the box has " +
        `${m.cores} cores): ${foreign.map(([name, cores]) => `${name} ${Number.isFinite(cores) ? cores.toFixed(2) : "–"}`).join(", ")} cores on average.` +
        (foreign.some(([, cores]) => cores > 0.3)
          ? " **Above 0.3 cores the absolute numbers are depressed and noisy; ratios within a scenario are still like for like only roughly.**"
          : ""),
    );
  if (notes.length) push("Notes:\n" + notes.map((n) => `- ${n}`).join("\n"));

  push(
    "## Targets",
    "### Fan-out, publishing across instances and the default limits (issues 5, 9 and 11)",
    table(
      ["Target", "Measured", "Result", "By how much"],
      evaluateTargets(results).map((t) => [t.target, t.measured, metLabel(t.met), t.by]),
    ),
    "### Capacity per instance (issue 10)",
    table(
      ["Target", "Measured", "Result", "By how much"],
      evaluateCapacityTargets(results).map((t) => [t.target, t.measured, metLabel(t.met), t.by]),
    ),
  );

  fanoutSection(results, push, charts.links);
  crossSection(results, push, charts.links);
  payloadSection(results, push);
  providerSection(results, push);
  connectionsSection(results, push);
  soakSection(results, push);
  profileSection(results, push);

  const analysis = path.join(root, "bench/report/analysis.md");
  if (existsSync(analysis)) push(readFileSync(analysis, "utf8").trim());
  methodSection(results, push);

  const file = path.join(root, "docs/benchmarks.md");
  mkdirSync(path.dirname(file), { recursive: true });
  charts.save();
  writeFileSync(file, out.join("\n").replace(/\n{3,}/g, "\n\n"));
  return file;
}

function methodSection(results, push) {
  push(
    "## Method",
    [
      "- Every server runs as its own process on 127.0.0.1 with a random port; load generators are separate forked processes (2 subscriber processes, 1 publisher). Everything runs on the same 2-core box, so the load generators compete with the server for the second core: compare **ratios within one run** and **CPU per delivery**, not absolute numbers across machines.",
      "- Our app in two modes, from the same production build: `next start` (the App Router route handlers answer Server Events) and the Node server `npm start` runs (`node .next/fast-server/server.mjs`: Node's own http server answers the Server Events endpoints from the framework-free core and hands every other request to Next in the same process; memory provider).",
      '- Our app under `next start`: the production build, memory provider unless `DATABASE_URL` is set (Postgres rows) or `REDIS_URL` is (Redis rows: `BENCH_REDIS_URL`, default `redis://127.0.0.1:6379`; each group of instances gets its own random `REDIS_KEY_PREFIX` `sse:bench:<hex>:`, whose keys are deleted afterwards with SCAN + UNLINK); subscribers `GET /event-stream?channels=bench`; the publisher opens its own stream for a subscription id and `POST`s `/channels/bench/raw` with `{from, selector: "cmd.bench", message}` — the public API, so every publish pays a Next.js route request (shown as publishes/s and in the profile). Logging is the app\'s default (pino, info) to a file. `SSE_IDLE_TIMEOUT_MS=3600000` because bench subscribers send no heartbeats, and, because they measure capacity, the per-caller limits are lifted: `SSE_PUBLISH_RATE_PER_SECOND=0` (the one bench publisher sends thousands of messages a second), `SSE_MAX_STREAMS_PER_ADDRESS=0` and `SSE_STREAM_OPENS_PER_SECOND=0` (thousands of cookieless subscribers from one address). The default-limits scenario (`bench/scenarios/defaults.mjs`) runs the Node server with its defaults instead, one subscription publishing 1,000 msg/s (after a warm-up second at 100 msg/s) to subscribers on the same instance and on another (Postgres): the targets table says whether any publish was refused.',
      "- Peers: bare `node:http` (writes one shared Buffer to every response), better-sse 0.16.1 (Channel.broadcast, keep-alive off), socket.io 4.8.4 with @socket.io/postgres-adapter 0.5.0 (websocket transport, one room; each emit also NOTIFYs the database). Peers receive the publish as `POST /publish` with the message as body.",
      "- Subscribers: raw `http.get` readers that split lines and decode only the first 200 bytes of each `data:` line; socket.io-client for socket.io. Latency = receive time − send time stamped in the payload, both from CLOCK_MONOTONIC (`process.hrtime`), shared by all processes on the machine; kept in a log-bucket histogram (2 % resolution).",
      "- Server CPU = utime+stime from `/proc/<pid>/stat` before/after (10 ms ticks); RSS from `/proc/<pid>/status`.",
      "- Throughput = unique deliveries / (last receive − first send). A run ends when all expected deliveries arrived, progress stalls for 5 s, or the step limit (`BENCH_STEP_LIMIT_MS`) passes; such runs are marked incomplete.",
      "- Knobs: `BENCH_QUICK=1`, `BENCH_ONLY=fanout,cross,defaults,payload,provider,connections,soak,profile`, `BENCH_SERVERS`, `BENCH_RUNS`, `BENCH_FANOUT_N`, `BENCH_FANOUT_DELIVERIES`, `BENCH_IN_FLIGHT`, `BENCH_CROSS_SUBS`, `BENCH_CROSS_RATES`, `BENCH_CONN_STEPS`, `BENCH_SOAK_MS`, `BENCH_PG_URL`, `BENCH_REDIS_URL`, `BENCH_MERGE` (see bench/lib/config.mjs). A throwaway database `bench_<random>` is created on `postgres://postgres@127.0.0.1:5432/postgres` and dropped at the end. `BENCH_MERGE=<results JSON>` writes the report from that earlier run with this run's rows merged over it (the notes say which rows came from which run).",
    ].join("\n"),
  );
}
