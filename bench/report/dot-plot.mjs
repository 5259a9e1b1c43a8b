// @ts-check
/** A latency dot plot: p50, p99 and max per server, in panels (report/chart-specs.mjs). */
import { CONFIG, PERCENTILES, SCHEMA, label, serverScales } from "./chart-style.mjs";

/** @typedef {import("vega-lite").TopLevelSpec} TopLevelSpec */

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
export function latencyDotPlot({ title, subtitle, points, columnLabel, rows, target }) {
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
