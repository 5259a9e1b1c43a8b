// @ts-check
/**
 * Renders the report's charts (bench/report/chart-specs.mjs) to SVG files in docs/benchmarks/,
 * headlessly: Vega-Lite compiles each spec to Vega, and a Vega View with no renderer writes the
 * SVG markup itself (no canvas package, no browser). Without a canvas, Vega estimates text widths
 * from the character count; the specs leave room for that.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as vega from "vega";
import { compile } from "vega-lite";
import { root } from "../servers/launch.mjs";
import { crossLatencySpec, fanoutLatencySpec, fanoutThroughputSpec } from "./chart-specs.mjs";
import { measureTextAsHelvetica } from "./text-width.mjs";

/** @typedef {import("./results.js").Results} Results */

/** Where the SVGs go, and how docs/benchmarks.md links them (relative to docs/). */
export const chartsDir = path.join(root, "docs/benchmarks");
const linkDir = "benchmarks";

const CHARTS = {
  fanout: fanoutThroughputSpec,
  "fanout-latency": fanoutLatencySpec,
  "cross-latency": crossLatencySpec,
};

/** @typedef {keyof typeof CHARTS} ChartName */

/** @param {import("vega-lite").TopLevelSpec} spec @returns {Promise<string>} */
export async function renderSvg(spec) {
  measureTextAsHelvetica();
  // Clip-path ids numbered from 1 in every file: the same results give the same bytes.
  /** @type {{ resetSVGDefIds: () => void }} */ (/** @type {unknown} */ (vega)).resetSVGDefIds();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * @typedef {object} Charts
 * @property {Partial<Record<ChartName, string>>} links docs/benchmarks.md's links, by chart name
 * @property {() => void} save writes the SVGs and deletes those of charts not drawn this time
 */

/**
 * Renders every chart the results have data for, in memory: the report saves them only once its
 * markdown is built, so that a report that fails leaves the old page and charts together.
 * @param {Results} results
 * @returns {Promise<Charts>}
 */
export async function renderCharts(results) {
  /** @type {Partial<Record<ChartName, string>>} */
  const links = {};
  /** @type {Map<string, string | null>} file → SVG, or null: delete it */
  const files = new Map();
  for (const [name, build] of /** @type {[ChartName, typeof fanoutThroughputSpec][]} */ (
    Object.entries(CHARTS)
  )) {
    const spec = build(results);
    files.set(path.join(chartsDir, `${name}.svg`), spec ? `${await renderSvg(spec)}\n` : null);
    if (spec) links[name] = `${linkDir}/${name}.svg`;
  }
  const save = () => {
    mkdirSync(chartsDir, { recursive: true });
    for (const [file, svg] of files)
      if (svg !== null) writeFileSync(file, svg);
      else if (existsSync(file)) rmSync(file);
  };
  return { links, save };
}
