/** Writes docs/benchmarks.md from one run's results (or several merged, see report/merge.mjs). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fmt, fmtRatio, ratio } from "../lib/stats.mjs";
import { root, serverNames } from "../servers/launch.mjs";
import { kb, mb, ms, pct, table } from "./table.mjs";
import { evaluateTargets } from "./targets.mjs";

const metLabel = (met) => (met === null ? "not measured" : met ? "**met**" : "**missed**");

export function writeReport(results, notes = []) {
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
      " Do not edit by hand: run it again, or rewrite this page from a saved run's results with" +
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
    "## Targets (issue 5)",
    table(
      ["Target", "Measured", "Result", "By how much"],
      evaluateTargets(results).map((t) => [t.target, t.measured, metLabel(t.met), t.by]),
    ),
  );

  fanoutSection(results, push);
  crossSection(results, push);
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
  writeFileSync(file, out.join("\n").replace(/\n{3,}/g, "\n\n"));
  return file;
}

function fanoutSection(results, push) {
  const fanout = results.fanout;
  if (!fanout) return;
  push(
    "## 1. Fan-out: one publisher, N subscribers, one instance",
    `Throughput runs: ${results.config.inFlight} publishes in flight, about ${fmt(results.config.fanoutDeliveries)} deliveries per run; medians of ${results.config.runs} run(s). ` +
      "Latency under load is publish→receive while the server is saturated (mostly queueing); " +
      "the paced column is 20 msg/s, the same N (time for one message to reach all N). " +
      "CPU is the server process's user+system time per delivery (the load generators share the other core). " +
      "Ratios are against the other servers in this same run.",
  );
  for (const n of [...new Set(fanout.map((r) => r.n))]) {
    const rows = fanout.filter((r) => r.n === n);
    const by = (kind) => rows.find((r) => r.kind === kind && r.median)?.median.deliveriesPerSec;
    push(
      `### N = ${fmt(n)}`,
      table(
        [
          "Server",
          "deliveries/s",
          "vs bare",
          "vs socket.io",
          "publishes/s",
          "p50 / p99 under load",
          "p50 / p99 paced",
          "CPU µs/delivery",
          "RSS with N",
          "set-up",
        ],
        rows.map((r) =>
          r.error || r.skipped
            ? [
                serverNames[r.kind],
                r.skipped ? `skipped: ${r.skipped}` : `failed: ${r.error}`,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
              ]
            : [
                serverNames[r.kind] + (r.allComplete ? "" : " (incomplete)"),
                fmt(r.median.deliveriesPerSec),
                fmtRatio(ratio(r.median.deliveriesPerSec, by("bare"))),
                fmtRatio(ratio(r.median.deliveriesPerSec, by("socketio"))),
                fmt(r.median.publishesPerSec),
                `${ms(r.median.p50)} / ${ms(r.median.p99)}`,
                `${ms(r.paced.p50)} / ${ms(r.paced.p99)}`,
                r.median.cpuUsPerDelivery.toFixed(1),
                mb(r.rssConnected),
                `${r.connected}/${r.n} in ${r.setupSeconds.toFixed(1)} s${r.settled ? "" : " (not quiet)"}`,
              ],
        ),
      ),
    );
  }
}

function crossSection(results, push) {
  const cross = results.cross;
  if (!cross) return;
  push(
    "## 2. Cross-instance: two instances on one Postgres (Redis rows: one Redis), publisher on A, subscribers on B",
    `${results.config.crossSubscribers} subscribers on B; ${results.config.crossSeconds} s per rate; ` +
      "sustained = no loss, ≥ 95 % of the rate actually published, p99 < 100 ms. Loss counts unique messages per subscriber.",
  );
  const rows = [];
  for (const [kind, r] of Object.entries(cross)) {
    if (r.skipped || r.error) {
      rows.push([serverNames[kind], r.skipped ? `skipped: ${r.skipped}` : `failed: ${r.error}`]);
      continue;
    }
    for (const rate of r.rates)
      rows.push([
        serverNames[kind],
        `${fmt(rate.rate)} msg/s`,
        fmt(rate.achievedRate),
        ms(rate.p50, 2),
        ms(rate.p99, 2),
        ms(rate.max),
        fmt(rate.lost),
        fmt(rate.duplicates),
        ms(rate.publishRttP50, 2),
        `${rate.cpuMsPerMessageA.toFixed(2)} / ${rate.cpuMsPerMessageB.toFixed(2)}`,
      ]);
    const h = r.highest;
    rows.push([
      serverNames[kind],
      h ? `highest sustained: ${fmt(h.rate)} msg/s` : "highest sustained: none",
      h ? fmt(h.achievedRate) : "",
      h ? ms(h.p50, 2) : "",
      h ? ms(h.p99, 2) : "",
      h ? ms(h.max) : "",
      h ? fmt(h.lost) : "",
      h ? fmt(h.duplicates) : "",
      h ? ms(h.publishRttP50, 2) : "",
      h ? `${h.cpuMsPerMessageA.toFixed(2)} / ${h.cpuMsPerMessageB.toFixed(2)}` : "",
    ]);
    const failedAt = r.ramp?.find((run) => run === r.ramp.at(-1) && run !== h);
    if (failedAt)
      rows.push([
        serverNames[kind],
        `first not sustained: ${fmt(failedAt.rate)} msg/s`,
        fmt(failedAt.achievedRate),
        ms(failedAt.p50, 2),
        ms(failedAt.p99, 2),
        ms(failedAt.max),
        fmt(failedAt.lost),
        fmt(failedAt.duplicates),
        ms(failedAt.publishRttP50, 2),
        "",
      ]);
  }
  push(
    table(
      [
        "Server",
        "Rate",
        "published/s",
        "p50",
        "p99",
        "max",
        "lost",
        "duplicates",
        "publish RTT p50",
        "CPU ms/msg A / B",
      ],
      rows,
    ),
  );
}

function payloadSection(results, push) {
  const payload = results.payload;
  if (!payload) return;
  push(
    "## 4. Payload sizes across instances",
    `Publisher on A, ${results.config.crossSubscribers} subscribers on B; 100 B and 8 KB at 100 msg/s for 3 s, 1 MB at 5 msg/s for 4 s. 8 KB is above NOTIFY's 8,000-byte limit.`,
  );
  const rows = [];
  for (const [kind, r] of Object.entries(payload)) {
    if (r.skipped || r.error) {
      rows.push([serverNames[kind], r.skipped ? `skipped: ${r.skipped}` : `failed: ${r.error}`]);
      continue;
    }
    for (const run of r.runs)
      rows.push([
        serverNames[kind],
        run.label,
        `${fmt(run.delivered)}/${fmt(run.expected)}`,
        fmt(run.lost),
        ms(run.p50),
        ms(run.p99),
        ms(run.max),
        run.publishError ?? "",
      ]);
  }
  push(table(["Server", "Payload", "delivered", "lost", "p50", "p99", "max", "errors"], rows));
}

function providerSection(results, push) {
  const p = results.provider;
  if (!p) return;
  if (p.error) return push("## 5. Provider throughput (in-process)", `failed: ${p.error}`);
  const sample = Object.values(p)
    .flatMap((byInstances) => Object.values(byInstances))
    .find((r) => r && r.messages);
  push(
    "## 5. Provider throughput (in-process, no HTTP)",
    `\`notifyChannel\` straight on the provider (bench/scenarios/provider.mjs): ${fmt(sample?.messages ?? NaN)} messages per run from ` +
      `${sample?.concurrency ?? "–"} concurrent loops per instance, each instance its own process with one subscriber; ` +
      "two instances publish at once (half each) and each subscriber must be sent all of them. " +
      "msg/s = messages ÷ time until the slowest instance's last publish committed (median of the runs). " +
      "Lost = messages a subscriber was never sent; gaps = ids missing between its first and last; out of order = ids not above the previous one. " +
      "Batch and commit: the group commit's batches (messages per transaction or script, and its round trip).",
  );
  const rows = [];
  for (const [provider, byInstances] of Object.entries(p)) {
    if (byInstances.skipped || byInstances.error) {
      rows.push([
        provider,
        byInstances.skipped ? `skipped: ${byInstances.skipped}` : `failed: ${byInstances.error}`,
      ]);
      continue;
    }
    for (const [instances, r] of Object.entries(byInstances))
      rows.push(
        r.error
          ? [provider, instances, `failed: ${r.error}`]
          : [
              provider,
              instances,
              fmt(r.msgPerSec),
              `${ms(r.publishP50, 1)} / ${ms(r.publishP99, 1)}`,
              r.meanBatch.toFixed(1),
              `${ms(r.commitP50, 2)} / ${ms(r.commitP99, 2)}`,
              fmt(r.lost),
              fmt(r.gaps),
              fmt(r.duplicates),
              fmt(r.outOfOrder),
              fmt(r.failed),
            ],
      );
  }
  push(
    table(
      [
        "Provider",
        "instances",
        "msg/s",
        "publish p50 / p99",
        "mean batch",
        "commit p50 / p99",
        "lost",
        "gaps",
        "duplicates",
        "out of order",
        "failed",
      ],
      rows,
    ),
  );
}

function connectionsSection(results, push) {
  const c = results.connections;
  if (!c) return;
  push(
    "## 3. Connections: idle subscribers on one instance",
    "Subscribers opened 64 at a time from two processes, each on its own channel (so no onJoin fan-out), raised in steps. " +
      "Per connection = (RSS − RSS before the first step) / open connections. Set-up rate = streams that received their first frame per second.",
  );
  const kinds = ["app", "app-node", "bare"];
  const rows = [];
  for (const kind of kinds) {
    const r = c[kind];
    if (!r) continue;
    if (r.error) {
      rows.push([serverNames[kind], `failed: ${r.error}`]);
      continue;
    }
    for (const s of r.steps)
      rows.push([
        serverNames[kind],
        `${fmt(s.open)} / ${fmt(s.target)}`,
        fmt(s.setupPerSec),
        s.cpuMsPerConnect.toFixed(2),
        mb(s.rss),
        kb(s.rssPerConnection),
        s.failed ? `${s.failed} ${JSON.stringify(s.errors)}` : "0",
      ]);
  }
  push(
    table(
      ["Server", "open / target", "streams/s", "CPU ms/stream", "RSS", "per connection", "failed"],
      rows,
    ),
  );
  const costs = kinds.filter((kind) => c[kind]?.heartbeat || c[kind]?.floor);
  if (costs.length)
    push(
      "What one request costs the server, with the subscribers above still open (8 in flight, keep-alive): " +
        "`POST /event-heartbeat`, next to each server's floor — an empty request: `GET /bench/empty` " +
        "(an App Router route answering 204: Next's own pipeline, in both of our modes), a 404 on bare node:http. " +
        "Clients pulse every 10 s by default, so one core keeps 10 s ÷ (CPU per heartbeat) subscribers alive " +
        "through heartbeats alone (the runs above use a 1 h idle timeout so that idle bench subscribers need none).",
      table(
        [
          "Server",
          "heartbeats/s",
          "CPU ms/heartbeat",
          "subscribers per core at 10 s",
          "empty requests/s",
          "CPU ms/empty request",
        ],
        costs.map((kind) => {
          const { heartbeat: hb, floor } = c[kind];
          return [
            serverNames[kind],
            hb ? fmt(hb.perSec) : "–",
            hb ? hb.cpuMsPerHeartbeat.toFixed(2) : "–",
            hb ? `**${fmt(hb.subscribersPerCoreAt10s)}**` : "–",
            floor ? fmt(floor.perSec) : "–",
            floor ? floor.cpuMsPerRequest.toFixed(2) : "–",
          ];
        }),
      ),
    );
  if (Array.isArray(c.sharedChannel))
    push(
      `**All in one channel** (our app): ServiceStack semantics send every member an \`onJoin\` for each newcomer, N²/2 frames of about ${fmt(averageFrameBytes(c.sharedChannel))} bytes each (the meta, with the avatar as a short URL):`,
      table(
        [
          "N",
          "open",
          "connect",
          "until quiet",
          "effective streams/s",
          "frames received",
          "bytes received",
          "server CPU",
        ],
        c.sharedChannel.map((r) => [
          fmt(r.n),
          fmt(r.open),
          `${r.connectSeconds.toFixed(1)} s`,
          `${r.settleSeconds.toFixed(1)} s${r.settled ? "" : " (limit)"}`,
          fmt(r.setupPerSec),
          fmt(r.framesReceived),
          mb(r.bytesReceived),
          `${(r.serverCpuMs / 1000).toFixed(1)} s`,
        ]),
      ),
    );
}

function soakSection(results, push) {
  const s = results.soak;
  if (!s) return;
  if (s.error) return push("## Soak", `failed: ${s.error}`);
  // V8 grows the heap for tens of seconds, then a major GC drops RSS: compare the RSS right after
  // each drop (a fall of more than 10 % between samples). One drop or none: too short to tell.
  const afterDrops = s.samples.filter(
    (p, i) => i > 0 && p.rss < 0.9 * s.samples[i - 1].rss && p.t >= s.durationMs / 4000,
  );
  const first = afterDrops[0];
  const last = afterDrops.at(-1);
  const verdict =
    afterDrops.length < 2
      ? `**inconclusive**: only ${afterDrops.length} garbage-collection drop(s) in ${(s.durationMs / 1000).toFixed(0)} s; run longer (\`BENCH_SOAK_MS=600000\`)`
      : last.rss - first.rss < 0.05 * first.rss + 5 * 2 ** 20
        ? `**flat**: after each GC drop RSS returns to ${mb(first.rss)} (${first.t.toFixed(0)} s) … ${mb(last.rss)} (${last.t.toFixed(0)} s)`
        : `**growing**: after each GC drop RSS returns higher, ${mb(first.rss)} (${first.t.toFixed(0)} s) → ${mb(last.rss)} (${last.t.toFixed(0)} s)`;
  push(
    "## Soak: churn and steady publishing",
    `${(s.durationMs / 1000).toFixed(0)} s on our app: ${s.steady} steady subscribers receiving ${fmt(s.published)} messages (lost ${fmt(s.lost)}), ` +
      `while ${s.churnOpen} others were replaced one every 50 ms on a shared channel (${fmt(s.churned)} connects, ${fmt(s.churnFailed)} failed). ` +
      `Server CPU ${pct(s.serverCpuShare)} of a core.`,
    `RSS max ${mb(s.rssMax)}, at the end ${mb(s.rssLast)}, 3 s after churn stopped ${mb(s.rssAfterChurnStopped)}. Verdict: ${verdict}.`,
    "RSS samples (s → MB): " +
      s.samples.map((p) => `${p.t.toFixed(0)}→${(p.rss / 2 ** 20).toFixed(0)}`).join(", "),
  );
}

function profileSection(results, push) {
  const p = results.profile;
  if (!p) return;
  push(
    "## CPU profiles of our app (`--cpu-prof`)",
    "Self time, frames mapped to source through the source maps of `.next` and of Next's compiled runtime; " +
      "samples split by phase (V8's sample clock is the same CLOCK_MONOTONIC the harness stamps phases with).",
  );
  const f = p.fanout;
  if (!f) {
    // not selected (BENCH_SERVERS without app)
  } else if (f.error || !f.phases) push(`Fan-out profile failed: ${f.error ?? "not run"}`);
  else {
    push(`Fan-out: N = ${fmt(f.n)} subscribers on one channel, memory provider; \`${f.file}\`.`);
    const titles = {
      connect: "Connect phase (N subscribers joining one channel: onJoin to every member)",
      publishOnly: "Publishing alone (`POST /channels/nobody/raw`, no recipients)",
      fanout: "Fan-out burst (the throughput run)",
    };
    for (const [name, phase] of Object.entries(f.phases)) {
      const extra =
        name === "publishOnly"
          ? ` — ${(phase.busyMs / phase.publishes).toFixed(2)} ms CPU per publish request`
          : name === "fanout"
            ? ` — ${((phase.busyMs * 1000) / phase.deliveries).toFixed(1)} µs CPU per delivery (publish requests included)`
            : "";
      profileTables(
        push,
        `### ${titles[name] ?? name}`,
        `${fmt(phase.busyMs)} ms busy${extra}.`,
        phase,
      );
    }
  }
  for (const c of [p.cross, p.crossRedis]) {
    if (!c) continue;
    const provider = c.provider ?? "Postgres";
    if (c.skipped) {
      push(`${provider} pair profile skipped: ${c.skipped}`);
      continue;
    }
    if (c.error) {
      push(`${provider} pair profile failed: ${c.error}`);
      continue;
    }
    for (const [side, phase] of Object.entries(c.sides)) {
      if (phase.error) {
        push(`${provider} pair, instance ${side}: ${phase.error}`);
        continue;
      }
      profileTables(
        push,
        `### ${provider} pair, instance ${side} (${side === "A" ? "receives the publishes" : "holds the subscribers"}), ${c.rate} msg/s`,
        `${fmt(phase.busyMs)} ms busy for ${fmt(phase.messages)} messages — ${(phase.busyMs / phase.messages).toFixed(2)} ms CPU per message; \`${phase.file}\`.`,
        phase,
      );
    }
  }
}

function profileTables(push, title, summary, phase) {
  push(
    title,
    summary,
    table(
      ["Area", "self ms", "share"],
      phase.areas.slice(0, 10).map((a) => [a.area, fmt(a.ms), pct(a.share)]),
    ),
    table(
      ["Self ms", "share", "frame", "where", "called from (share)"],
      phase.top
        .slice(0, 15)
        .map((t) => [
          fmt(t.ms),
          pct(t.share),
          `\`${t.name}\``,
          t.location,
          t.callers.map((c) => `${(c.share * 100).toFixed(0)} %: ${c.via}`).join("; "),
        ]),
    ),
  );
}

function methodSection(results, push) {
  push(
    "## Method",
    [
      "- Every server runs as its own process on 127.0.0.1 with a random port; load generators are separate forked processes (2 subscriber processes, 1 publisher). Everything runs on the same 2-core box, so the load generators compete with the server for the second core: compare **ratios within one run** and **CPU per delivery**, not absolute numbers across machines.",
      "- Our app in two modes, from the same production build: `next start` (the App Router route handlers answer Server Events) and the Node server `npm start` runs (`node .next/fast-server/server.mjs`: Node's own http server answers the Server Events endpoints from the framework-free core and hands every other request to Next in the same process; memory provider).",
      '- Our app under `next start`: the production build, memory provider unless `DATABASE_URL` is set (Postgres rows) or `REDIS_URL` is (Redis rows: `BENCH_REDIS_URL`, default `redis://127.0.0.1:6379`; each group of instances gets its own random `REDIS_KEY_PREFIX` `sse:bench:<hex>:`, whose keys are deleted afterwards with SCAN + UNLINK); subscribers `GET /event-stream?channels=bench`; the publisher opens its own stream for a subscription id and `POST`s `/channels/bench/raw` with `{from, selector: "cmd.bench", message}` — the public API, so every publish pays a Next.js route request (shown as publishes/s and in the profile). Logging is the app\'s default (pino, info) to a file. `SSE_IDLE_TIMEOUT_MS=3600000` because bench subscribers send no heartbeats.',
      "- Peers: bare `node:http` (writes one shared Buffer to every response), better-sse 0.16.1 (Channel.broadcast, keep-alive off), socket.io 4.8.4 with @socket.io/postgres-adapter 0.5.0 (websocket transport, one room; each emit also NOTIFYs the database). Peers receive the publish as `POST /publish` with the message as body.",
      "- Subscribers: raw `http.get` readers that split lines and decode only the first 200 bytes of each `data:` line; socket.io-client for socket.io. Latency = receive time − send time stamped in the payload, both from CLOCK_MONOTONIC (`process.hrtime`), shared by all processes on the machine; kept in a log-bucket histogram (2 % resolution).",
      "- Server CPU = utime+stime from `/proc/<pid>/stat` before/after (10 ms ticks); RSS from `/proc/<pid>/status`.",
      "- Throughput = unique deliveries / (last receive − first send). A run ends when all expected deliveries arrived, progress stalls for 5 s, or the step limit (`BENCH_STEP_LIMIT_MS`) passes; such runs are marked incomplete.",
      "- Knobs: `BENCH_QUICK=1`, `BENCH_ONLY=fanout,cross,payload,connections,soak,profile`, `BENCH_SERVERS`, `BENCH_RUNS`, `BENCH_FANOUT_N`, `BENCH_FANOUT_DELIVERIES`, `BENCH_IN_FLIGHT`, `BENCH_CROSS_SUBS`, `BENCH_CROSS_RATES`, `BENCH_CONN_STEPS`, `BENCH_SOAK_MS`, `BENCH_PG_URL`, `BENCH_REDIS_URL`, `BENCH_MERGE` (see bench/lib/config.mjs). A throwaway database `bench_<random>` is created on `postgres://postgres@127.0.0.1:5432/postgres` and dropped at the end. `BENCH_MERGE=<results JSON>` writes the report from that earlier run with this run's rows merged over it (the notes say which rows came from which run).",
    ].join("\n"),
  );
}

/** Bytes per presence frame over the shared-channel runs (all bytes ÷ all frames). */
function averageFrameBytes(runs) {
  const frames = runs.reduce((sum, r) => sum + r.framesReceived, 0);
  const bytes = runs.reduce((sum, r) => sum + r.bytesReceived, 0);
  return frames > 0 ? Math.round(bytes / frames) : 0;
}
