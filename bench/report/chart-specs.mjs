// @ts-check
/**
 * Vega-Lite specs of the charts in docs/benchmarks.md, built from a results object: fan-out
 * throughput against N, and latency percentiles per server (fan-out, cross-instance). Each builder
 * returns null when its scenario is missing or has no measured row (partial runs), so that the
 * report leaves that chart out instead of drawing an empty one.
 */
import { CONFIG, SCHEMA, label, serverScales } from "./chart-style.mjs";
import { latencyDotPlot } from "./dot-plot.mjs";

/** @typedef {import("vega-lite").TopLevelSpec} TopLevelSpec */
/** @typedef {import("./results.js").Results} Results */
/** @typedef {import("./results.js").FanoutRow} FanoutRow */

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
