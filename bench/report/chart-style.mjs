// @ts-check
/**
 * The charts' common look: one colour and shape per server in every chart, the percentile marks,
 * fonts and sizes (report/chart-specs.mjs, report/dot-plot.mjs).
 */
import { serverNames } from "../servers/launch.mjs";

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
export const label = (kind) => /** @type {Record<string, string>} */ (serverNames)[kind] ?? kind;
/** @param {string[]} kinds */
const byKindOrder = (kinds) =>
  [...new Set(kinds)].sort(
    (a, b) =>
      (KIND_ORDER.indexOf(a) + 1 || Infinity) - (KIND_ORDER.indexOf(b) + 1 || Infinity) ||
      a.localeCompare(b),
  );

/** Percentile marks: a colour and a shape each, so that they tell apart in grey too. */
export const PERCENTILES = {
  p50: ["#4c78a8", "circle"],
  p99: ["#f58518", "diamond"],
  max: ["#c03d3e", "cross"],
};

/** @type {import("vega-lite").Config} */
export const CONFIG = {
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
export const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Server colour and shape scales over the kinds that appear, in the report's order. */
export function serverScales(/** @type {string[]} */ kinds) {
  const ordered = byKindOrder(kinds);
  return {
    domain: ordered.map(label),
    colors: ordered.map((kind) => styleOf(kind)[0]),
    shapes: ordered.map((kind) => styleOf(kind)[1]),
  };
}
