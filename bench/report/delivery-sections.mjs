// @ts-check
/**
 * The report's sections on messages over HTTP: fan-out on one instance, and the cross-instance
 * and payload scenarios across two.
 */
import { fmt, fmtRatio, ratio } from "../lib/stats.mjs";
import { serverNames } from "../servers/launch.mjs";
import { mb, ms, table } from "./table.mjs";

/** Markdown image links to the charts that were drawn, by name (report/charts.mjs). */
/** Messages lost, and the publishes the server refused (an error answer) when there were any. */
const lostCell = (run) =>
  `${fmt(run.lost)}${run.publishFailed > 0 ? ` (+${fmt(run.publishFailed)} refused)` : ""}`;

const image = (alt, link) => (link ? [`![${alt}](${link})`] : []);

export function fanoutSection(results, push, charts = {}) {
  const fanout = results.fanout;
  if (!fanout) return;
  const title = "## 1. Fan-out: one publisher, N subscribers, one instance";
  // A scenario that threw is saved as { error } (bench/run.mjs).
  if (!Array.isArray(fanout)) return push(title, `failed: ${fanout.error}`);
  push(
    title,
    `Throughput runs: ${results.config.inFlight} publishes in flight, about ${fmt(results.config.fanoutDeliveries)} deliveries per run; medians of ${results.config.runs} run(s). ` +
      "Latency under load is publish→receive while the server is saturated (mostly queueing); " +
      "the paced column is 20 msg/s, the same N (time for one message to reach all N). " +
      "CPU is the server process's user+system time per delivery (the load generators share the other core). " +
      "Ratios are against the other servers in this same run.",
    ...image(
      "Fan-out throughput against N: deliveries per second for every server, N on a log scale",
      charts.fanout,
    ),
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
  push(
    ...image(
      "Fan-out latency: p50, p99 and max per server and N, under load and paced at 20 msg/s",
      charts["fanout-latency"],
    ),
  );
}
export function crossSection(results, push, charts = {}) {
  const cross = results.cross;
  if (!cross) return;
  const title =
    "## 2. Cross-instance: two instances on one Postgres (Redis rows: one Redis), publisher on A, subscribers on B";
  if (typeof cross.error === "string") return push(title, `failed: ${cross.error}`);
  push(
    title,
    `${results.config.crossSubscribers} subscribers on B; ${results.config.crossSeconds} s per rate; ` +
      "sustained = no loss, ≥ 95 % of the rate actually published, p99 < 100 ms; saturated = 20,000 messages with 64 in flight, as fast as A answers. Loss counts unique messages per subscriber. " +
      "The memory rows (Node server, next start) are one instance that is both A and B: the baselines for their serving mode, with CPU counted once.",
    ...image(
      "Cross-instance latency: p50, p99 and max per server at each rate, against the 15 ms p99 target",
      charts["cross-latency"],
    ),
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
        lostCell(rate),
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
      h ? lostCell(h) : "",
      h ? fmt(h.duplicates) : "",
      h ? ms(h.publishRttP50, 2) : "",
      h ? `${h.cpuMsPerMessageA.toFixed(2)} / ${h.cpuMsPerMessageB.toFixed(2)}` : "",
    ]);
    const sat = r.saturated;
    if (sat)
      rows.push([
        serverNames[kind],
        "saturated",
        fmt(sat.achievedRate),
        ms(sat.p50, 2),
        ms(sat.p99, 2),
        ms(sat.max),
        lostCell(sat),
        fmt(sat.duplicates),
        ms(sat.publishRttP50, 2),
        `${sat.cpuMsPerMessageA.toFixed(2)} / ${sat.cpuMsPerMessageB.toFixed(2)}`,
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
        lostCell(failedAt),
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
export function payloadSection(results, push) {
  const payload = results.payload;
  if (!payload) return;
  const title = "## 4. Payload sizes across instances";
  if (typeof payload.error === "string") return push(title, `failed: ${payload.error}`);
  push(
    title,
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
