// @ts-check
/**
 * Text widths for Vega's layout without a canvas. Vega's fallback guesses 0.8 em per character,
 * about half again too wide for Helvetica: long axis titles then push the plot away from its
 * title and leave wide gaps. The charts set Helvetica/Arial (metric-compatible; Liberation Sans
 * on Linux), so its published advance widths give the layout a close fit.
 */
import * as vega from "vega";

/** Helvetica advance widths in 1/1000 em for the characters ' ' (32) to '~' (126). */
const WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
  556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
  611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
  667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
  222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
/** Anything else (→, ×, µ, –): as wide as a capital letter, to err on the roomy side. */
const OTHER = 722;
/** Bold runs about 8 % wider than regular in Helvetica. */
const BOLD = 1.08;

/**
 * @param {string} text
 * @param {number} fontSize px
 * @param {boolean} [bold]
 */
export function textWidth(text, fontSize, bold = false) {
  let units = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    units += code >= 32 && code <= 126 ? (WIDTHS[code - 32] ?? OTHER) : OTHER;
  }
  return (units / 1000) * fontSize * (bold ? BOLD : 1);
}

/**
 * @typedef {{ text?: unknown, fontSize?: number, fontWeight?: string | number, limit?: number }} TextItem
 * @typedef {{ width: (item: TextItem, text?: unknown) => number }} TextMetrics
 */

/** Makes Vega measure text with these widths (process-wide: only the report renders charts). */
export function measureTextAsHelvetica() {
  const metrics = /** @type {{ textMetrics: TextMetrics }} */ (/** @type {unknown} */ (vega))
    .textMetrics;
  metrics.width = (item, text) => {
    const value = text ?? item.text;
    const lines = Array.isArray(value) ? value.map(String) : [String(value ?? "")];
    const weight = item.fontWeight;
    const bold = weight === "bold" || (typeof weight === "number" && weight >= 600);
    return Math.max(0, ...lines.map((line) => textWidth(line, item.fontSize ?? 11, bold)));
  };
}
