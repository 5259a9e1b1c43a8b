// @ts-check
/**
 * Latency histogram with ~2 % wide logarithmic buckets from 1 µs to ~10 min: small enough to send
 * over IPC and merge, precise enough for p50/p99.
 */
const GROWTH = 1.02;
const MIN_MS = 0.001;
const BUCKETS = 1100;
const LOG_GROWTH = Math.log(GROWTH);

/** @typedef {{ counts: number[], count: number, sum: number, max: number }} Histogram */

/** @returns {Histogram} */
export function createHistogram() {
  return { counts: new Array(BUCKETS).fill(0), count: 0, sum: 0, max: 0 };
}

/** @param {Histogram} histogram @param {number} ms */
export function record(histogram, ms) {
  const value = ms < MIN_MS ? MIN_MS : ms;
  const index = Math.min(BUCKETS - 1, Math.floor(Math.log(value / MIN_MS) / LOG_GROWTH));
  histogram.counts[index]++;
  histogram.count++;
  histogram.sum += ms;
  if (ms > histogram.max) histogram.max = ms;
}

/** Adds `source`'s counts to `target`. @param {Histogram} target @param {Histogram} source */
export function merge(target, source) {
  for (let i = 0; i < BUCKETS; i++) target.counts[i] += source.counts[i];
  target.count += source.count;
  target.sum += source.sum;
  target.max = Math.max(target.max, source.max);
  return target;
}

/** Value at quantile q (0..1): the geometric middle of its bucket. */
/** @param {Histogram} histogram @param {number} q */
export function quantile(histogram, q) {
  if (histogram.count === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * histogram.count));
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += histogram.counts[i];
    if (seen >= rank) return Math.min(histogram.max, MIN_MS * GROWTH ** (i + 0.5));
  }
  return histogram.max;
}

/** @param {Histogram} histogram */
export function summarize(histogram) {
  return {
    count: histogram.count,
    p50: quantile(histogram, 0.5),
    p99: quantile(histogram, 0.99),
    max: histogram.count ? histogram.max : NaN,
    mean: histogram.count ? histogram.sum / histogram.count : NaN,
  };
}
