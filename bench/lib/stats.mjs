// @ts-check
/** Small numeric helpers for medians and ratios. */

/** The median of the finite values (NaN when none). @param {number[]} values */
export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** a ÷ b, or NaN unless both are finite and b is positive. @param {number} a @param {number} b */
export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN;
}

/** Least-squares slope of y over x. @param {{ x: number, y: number }[]} points */
export function slope(points) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/** "1,234" (en-US grouping), or "–" when not finite. @param {number} value @param {number} [digits] */
export function fmt(value, digits = 0) {
  if (!Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** "1.25×", or "–" when not finite. @param {number} value */
export function fmtRatio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "–";
}
