// @ts-check
/**
 * Markdown table from a header row and rows of cells (a missing cell shows as "–").
 * @param {string[]} headers
 * @param {unknown[][]} rows
 */
export function table(headers, rows) {
  const escape = (/** @type {unknown} */ cell) =>
    String(cell ?? "–")
      .replace(/\|/g, "\\|")
      .replace(/\n/g, " ");
  return [
    `| ${headers.map(escape).join(" | ")} |`,
    `|${headers.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}

/** @typedef {(value: number, digits?: number) => string} Formatter */

/** @type {Formatter} */
export const mb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(0)} MB` : "–");
/** @type {Formatter} */
export const kb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KB` : "–");
/** @type {Formatter} */
export const ms = (value, digits = 1) =>
  Number.isFinite(value) ? `${value.toFixed(digits)} ms` : "–";
/** @type {Formatter} */
export const pct = (value) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : "–");
