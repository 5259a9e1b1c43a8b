import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FlushTiming } from "./flush-scheduler";

describe("FlushTiming", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("flushes frames that may not wait after this turn, once for the whole turn", () => {
    const flush = vi.fn();
    const timing = new FlushTiming(flush);
    timing.queued();
    timing.queued();
    expect(flush).not.toHaveBeenCalled();
    vi.runOnlyPendingTimers();
    expect(flush).toHaveBeenCalledOnce();
  });

  it("lets frames that may wait share one flush across turns, within the time they allow", () => {
    const flush = vi.fn();
    const timing = new FlushTiming(flush);
    timing.queued(100);
    vi.advanceTimersByTime(60);
    timing.queued(100);
    vi.advanceTimersByTime(39);
    expect(flush).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(flush).toHaveBeenCalledOnce();
  });

  it("takes waiting frames along as soon as a frame that may not wait is queued", async () => {
    vi.useRealTimers();
    const flush = vi.fn();
    const timing = new FlushTiming(flush);
    timing.queued(10_000);
    timing.queued();
    await new Promise((resolve) => setImmediate(resolve));
    expect(flush).toHaveBeenCalledOnce();
  });

  it("shares one timer between every sink waiting the same time", () => {
    const flushes = [vi.fn(), vi.fn(), vi.fn()];
    for (const flush of flushes) new FlushTiming(flush).queued(50);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(50);
    for (const flush of flushes) expect(flush).toHaveBeenCalledOnce();
  });
});
