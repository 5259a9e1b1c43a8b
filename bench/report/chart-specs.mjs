// @ts-check
/**
 * Vega-Lite specs of the charts in docs/benchmarks.md, built from a results object: fan-out
 * throughput against N, and latency percentiles per server (fan-out, cross-instance). Each builder
 * returns null when its scenario is missing or has no measured row (partial runs), so that the
 * report leaves that chart out instead of drawing an empty one.
 */
import { serverNames } from "../servers/launch.mjs";

/** @typedef {import("vega-lite").TopLevelSpec} TopLevelSpec */
/** @typedef {import("./results.js").Results} Results */
/** @typedef {import("./results.js").FanoutRow} FanoutRow */

/**
 * One colour and one point shape per server, the same in every chart. Our app in blues (next
 * start) and greens (Node server); shape says the provider; the peers in grey, orange, purple.
 */
const STYLE = /** @type {const} */ ({
  app: ["#4c78a8", "circle"],
  "app-pg": ["#7aa6d6", "square"],
  "app-redis": ["#1d3f66", "triangle-up"],
  "app-node": ["#54a24b", "circle"],
  "app-node-pg": ["#8fd07f", "square"],
  "app-node-redis": ["#2b6425", "triangle-up"],
  bare: ["#6e6e6e", "diamond"],
  "better-sse": ["#f58518", "cross"],
  socketio: ["#b279a2", "triangle-down"],
});
const KIND_ORDER = Object.keys(STYLE);
/** @param {string} kind */
const styleOf = (kind) =>
  /** @type {Record<string, readonly [string, string]>} */ (STYLE)[kind] ?? ["#bab0ac", "circle"];
/** @param {string} kind */
const label = (kind) => /** @type {Record<string, string>} */ (serverNames)[kind] ?? kind;
/** @param {string[]} kinds */
const byKindOrder = (kinds) =>
  [...new Set(kinds)].sort(
    (a, b) =>
      (KIND_ORDER.indexOf(a) + 1 || Infinity) - (KIND_ORDER.indexOf(b) + 1 || Infinity) ||
      a.localeCompare(b),
  );

/** Percentile marks: colour and shape, darker for the rarer. */
const PERCENTILES = {
  p50: ["#4c78a8", "circle"],
  p99: ["#f58518", "diamond"],
  max: ["#c03d3e", "cross"],
};

/** @type {import("vega-lite").Config} */
const CONFIG = {
  // Helvetica's metrics lay the text out (bench/report/text-width.mjs); Arial and Liberation Sans
  // share them.
  font: "Helvetica, Arial, 'Liberation Sans', sans-serif",
  background: "white",
  padding: 12,
  title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: "#555", anchor: "start", offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", gridColor: "#e6e6e6" },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0 },
  header: { labelFontSize: 12, titleFontSize: 12 },
};
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Server colour and shape scales over the kinds that appear, in the report's order. */
function serverScales(/** @type {string[]} */ kinds) {
  const ordered = byKindOrder(kinds);
  return {
    domain: ordered.map(label),
    colors: ordered.map((kind) => styleOf(kind)[0]),
    shapes: ordered.map((kind) => styleOf(kind)[1]),
  };
}

/** @param {Results} results @returns {FanoutRow[]} rows with a measured median */
function measuredFanout(results) {
  if (!Array.isArray(results.fanout)) return [];
  return results.fanout.filter(
    (r) => !r.error && !r.skipped && r.median && Number.isFinite(r.median.deliveriesPerSec),
  );
}

/**
 * (a) Fan-out deliveries/s against N, one line per server, N on a log scale. A hollow point marks
 * a row whose subscribers did not all connect or whose runs did not all complete (as the table's
 * "(incomplete)" and set-up columns say).
 * @param {Results} results
 * @returns {TopLevelSpec | null}
 */
export function fanoutThroughputSpec(results) {
  const rows = measuredFanout(results);
  if (rows.length === 0) return null;
  const values = rows.map((r) => ({
    server: label(r.kind),
    n: r.n,
    deliveriesPerSec: r.median?.deliveriesPerSec,
    complete: Boolean(r.allComplete) && r.connected === r.n,
  }));
  const ns = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
  const { domain, colors, shapes } = serverScales(rows.map((r) => r.kind));
  const color = /** @type {const} */ ({
    field: "server",
    type: "nominal",
    scale: { domain, range: colors },
    title: "Server",
  });
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: {
      text: "Fan-out throughput against N",
      subtitle: [
        "One publisher, N subscribers on one instance; a delivery is one message reaching one subscriber.",
        `Median of ${results.config.runs} run(s) per point. Hollow: not every subscriber connected, or a run was incomplete.`,
      ],
    },
    width: 460,
    height: 300,
    data: { values },
    encoding: {
      x: {
        field: "n",
        type: "quantitative",
        // A log scale spreads 100, 1,000, 5,000 evenly; ticks only at the Ns that ran.
        scale: { type: "log", domain: [ns[0] / 1.5, (ns.at(-1) ?? ns[0]) * 1.5], nice: false },
        axis: { values: ns, format: ",", grid: false },
        title: "N subscribers (log scale)",
      },
      y: {
        field: "deliveriesPerSec",
        type: "quantitative",
        axis: { format: ",.0f" },
        title: "deliveries/s",
      },
      color,
    },
    layer: [
      { mark: { type: "line", strokeWidth: 2 } },
      {
        mark: { type: "point", size: 70, strokeWidth: 2, opacity: 1 },
        encoding: {
          shape: {
            field: "server",
            type: "nominal",
            scale: { domain, range: shapes },
            title: "Server",
          },
          fill: {
            condition: { test: "datum.complete", ...color },
            value: "white",
          },
        },
      },
    ],
  };
}

/**
 * A dot plot of p50, p99 and max per server (rows) in columns (N, rate), a thin rule from p50 to
 * max, latency on a log scale shared by every panel so panels compare at a glance.
 * @param {object} chart
 * @param {string} chart.title
 * @param {string[]} chart.subtitle
 * @param {{ kind: string, column: number, row?: string, p50: number, p99: number, max: number }[]} chart.points
 * @param {string} chart.columnLabel Vega expression labelling a column from `datum.value`
 * @param {string[]} [chart.rows] row order, when the points have rows
 * @param {{ ms: number, column: number, text: string }} [chart.target] a dashed rule in one column
 * @returns {TopLevelSpec | null}
 */
function latencyDotPlot({ title, subtitle, points, columnLabel, rows, target }) {
  const ok = (/** @type {number} */ v) => Number.isFinite(v) && v > 0;
  const values = points
    .filter((p) => ok(p.p50) && ok(p.max))
    .map((p) => ({ ...p, server: label(p.kind), p99: ok(p.p99) ? p.p99 : null }));
  if (values.length === 0) return null;
  const { domain } = serverScales(values.map((v) => v.kind));
  // Ticks at whole decades (1, 10, 100 ms …) spanning the data: readable in a narrow panel.
  const low = Math.floor(Math.log10(Math.min(...values.map((v) => v.p50))));
  const high = Math.ceil(Math.log10(Math.max(...values.map((v) => v.max))));
  const decades = Array.from({ length: high - low + 1 }, (_, i) => 10 ** (low + i));
  const x = {
    type: "quantitative",
    scale: { type: "log", domain: [10 ** low, 10 ** high], nice: false },
    axis: { values: decades, format: ",~r", gridColor: "#e6e6e6" },
    title: "latency, ms (log scale)",
  };
  const y = {
    field: "server",
    type: "nominal",
    sort: domain,
    title: null,
    axis: { labelLimit: 0 },
  };
  const names = Object.keys(PERCENTILES);
  /** @type {any[]} */
  const layer = [
    {
      mark: { type: "rule", color: "#9a9a9a" },
      encoding: { y, x: { field: "p50", ...x }, x2: { field: "max" } },
    },
    {
      transform: [{ fold: names, as: ["percentile", "ms"] }, { filter: "isValid(datum.ms)" }],
      mark: { type: "point", filled: true, size: 60, opacity: 1 },
      encoding: {
        y,
        x: { field: "ms", ...x },
        color: {
          field: "percentile",
          type: "nominal",
          scale: { domain: names, range: names.map((n) => /** @type {any} */ (PERCENTILES)[n][0]) },
          title: "Percentile",
        },
        shape: {
          field: "percentile",
          type: "nominal",
          scale: { domain: names, range: names.map((n) => /** @type {any} */ (PERCENTILES)[n][1]) },
          title: "Percentile",
        },
      },
    },
  ];
  if (target)
    layer.push({
      // One row per panel (aggregate), kept only in the target's column.
      transform: [
        { filter: `datum.column === ${target.column}` },
        { aggregate: [{ op: "count", as: "points" }], groupby: ["column"] },
      ],
      layer: [
        {
          mark: { type: "rule", strokeDash: [5, 3], color: "#333" },
          encoding: { x: { datum: target.ms, ...x } },
        },
        {
          mark: {
            type: "text",
            align: "left",
            dx: 4,
            dy: -4,
            baseline: "bottom",
            fontSize: 11,
            color: "#333",
          },
          encoding: {
            x: { datum: target.ms, ...x },
            y: { value: 0 },
            text: { value: target.text },
          },
        },
      ],
    });
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: title, subtitle },
    data: { values },
    facet: {
      column: { field: "column", type: "ordinal", header: { labelExpr: columnLabel, title: null } },
      ...(rows
        ? { row: { field: "row", type: "nominal", sort: rows, header: { title: null } } }
        : {}),
    },
    spec: { width: 220, height: { step: 20 }, layer },
  };
}

/**
 * (b) Fan-out latency per server and N: under load (the throughput runs) and paced (20 msg/s).
 * @param {Results} results
 */
export function fanoutLatencySpec(results) {
  const rows = measuredFanout(results);
  const underLoad = "under load (throughput runs)";
  const paced = "paced, 20 msg/s";
  const points = rows.flatMap((r) => [
    ...(r.median ? [{ kind: r.kind, column: r.n, row: underLoad, ...pick(r.median) }] : []),
    ...(r.paced ? [{ kind: r.kind, column: r.n, row: paced, ...pick(r.paced) }] : []),
  ]);
  return latencyDotPlot({
    title: "Fan-out latency, publish → receive",
    subtitle: [
      "Under load: the server saturated, so mostly queueing. Paced: the time for one message to reach all N.",
      "Line: p50 to max.",
    ],
    points,
    columnLabel: "'N = ' + format(datum.value, ',')",
    rows: [underLoad, paced],
  });
}

/**
 * (b) Cross-instance latency per server and configured rate (publisher on A, subscribers on B).
 * @param {Results} results
 */
export function crossLatencySpec(results) {
  const cross = results.cross;
  if (!cross || "error" in cross) return null;
  const points = Object.entries(cross).flatMap(([kind, r]) =>
    (r.rates ?? []).map((rate) => ({ kind, column: rate.rate, ...pick(rate) })),
  );
  const target = points.some((p) => p.column === 1000)
    ? { ms: 15, column: 1000, text: "target p99 15 ms" }
    : undefined;
  return latencyDotPlot({
    title: "Cross-instance latency, publisher on A → subscribers on B",
    subtitle: [
      `Median p50 and p99 of ${results.config.runs} run(s) per rate; max of all runs. Line: p50 to max.`,
    ],
    points,
    columnLabel: "format(datum.value, ',') + ' msg/s'",
    target,
  });
}

/** @param {{ p50: number, p99: number, max: number }} latency */
const pick = ({ p50, p99, max }) => ({ p50, p99, max });
