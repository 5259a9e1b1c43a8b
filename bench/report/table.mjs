// @ts-check
/** Markdown table from a header row and rows of cells. */
export function table(headers, rows) {
  const escape = (cell) =>
    String(cell ?? "–")
      .replace(/\|/g, "\\|")
      .replace(/\n/g, " ");
  return [
    `| ${headers.map(escape).join(" | ")} |`,
    `|${headers.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}

export const mb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(0)} MB` : "–");
export const kb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KB` : "–");
export const ms = (value, digits = 1) =>
  Number.isFinite(value) ? `${value.toFixed(digits)} ms` : "–";
export const pct = (value) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : "–");
