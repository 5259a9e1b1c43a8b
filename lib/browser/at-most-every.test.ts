import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { atMostEvery } from "./at-most-every";

describe("atMostEvery", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs the first call at once and folds a flood into one run per interval", () => {
    const run = vi.fn();
    const call = atMostEvery(run, 500);
    call();
    expect(run).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 300; i++) call();
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(500);
    expect(run).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(5000);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it("runs at once again once an interval has passed quietly", () => {
    const run = vi.fn();
    const call = atMostEvery(run, 500);
    call();
    vi.advanceTimersByTime(600);
    call();
    expect(run).toHaveBeenCalledTimes(2);
  });

  it("drops the folded run when cancelled", () => {
    const run = vi.fn();
    const call = atMostEvery(run, 500);
    call();
    call();
    call.cancel();
    vi.advanceTimersByTime(1000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
