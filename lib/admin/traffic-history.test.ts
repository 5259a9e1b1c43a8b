import { describe, expect, it } from "vitest";
import { appendSample, HISTORY_WINDOW_MS, type TrafficSample } from "./traffic-history";

const sample = (at: number, openStreams = 1): TrafficSample => ({
  at,
  messagesPerSecond: 0,
  openStreams,
});

describe("appendSample", () => {
  it("keeps one point per interval however many instances report in it", () => {
    let history: TrafficSample[] = [];
    history = appendSample(history, sample(10_000, 1), 1_500);
    history = appendSample(history, sample(10_200, 2), 1_500);
    history = appendSample(history, sample(12_000, 3), 1_500);
    expect(history).toEqual([sample(10_200, 2), sample(12_000, 3)]);
  });

  it("forgets points older than the window", () => {
    let history = [sample(0), sample(60_000)];
    history = appendSample(history, sample(HISTORY_WINDOW_MS + 30_000), 1_500);
    expect(history.map((point) => point.at)).toEqual([60_000, HISTORY_WINDOW_MS + 30_000]);
  });
});
