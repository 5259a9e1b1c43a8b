/** The chart's span. */
export const HISTORY_WINDOW_MS = 10 * 60_000;

/** One point of the chart: the cluster's traffic and open streams at `at` (Unix ms). */
export interface TrafficSample {
  at: number;
  messagesPerSecond: number;
  openStreams: number;
}

/**
 * `history` with `sample` appended and points older than the window dropped. Several instances
 * report in the same interval; a sample closer than `minGapMs` to the last one replaces it, so
 * the chart keeps one point per interval however many instances there are.
 */
export function appendSample(
  history: readonly TrafficSample[],
  sample: TrafficSample,
  minGapMs: number,
  windowMs = HISTORY_WINDOW_MS,
): TrafficSample[] {
  const last = history.at(-1);
  const kept = last && sample.at - last.at < minGapMs ? history.slice(0, -1) : history;
  return [...kept.filter((point) => point.at > sample.at - windowMs), sample];
}
