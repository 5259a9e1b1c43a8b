import { describe, expect, it } from "vitest";
import type { ServerEventsError } from "@/lib/server-events";
import { HistoryChannelBudget } from "./history-channel-budget";

const HOUR = 3_600_000;

function createClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const refusal = (act: () => void) => {
  try {
    act();
    return "allowed";
  } catch (error) {
    const refused = error as ServerEventsError;
    return `${refused.status} ${refused.field}`;
  }
};

describe("HistoryChannelBudget", () => {
  it("lets a sender start `perHour` channels, then one every 3600/perHour seconds", () => {
    const clock = createClock();
    const budget = new HistoryChannelBudget(4, clock.now);
    for (const channel of ["a", "b", "c", "d"])
      expect(refusal(() => budget.require(["guest:1"], channel))).toBe("allowed");
    expect(refusal(() => budget.require(["guest:1"], "e"))).toBe("429 channel");
    clock.advance(HOUR / 4);
    expect(refusal(() => budget.require(["guest:1"], "e"))).toBe("allowed");
  });

  it("charges nothing for a channel written to within the hour", () => {
    const clock = createClock();
    const budget = new HistoryChannelBudget(1, clock.now);
    budget.require(["user:ada"], "home");
    for (let i = 0; i < 100; i++) {
      clock.advance(HOUR / 2 - 1);
      expect(refusal(() => budget.require(["user:ada"], "home"))).toBe("allowed");
    }
  });

  it("charges every key, and refuses when any is spent, charging none", () => {
    const budget = new HistoryChannelBudget(2, createClock().now);
    budget.require(["guest:1", "address:198.51.100.1"], "a");
    budget.require(["guest:2", "address:198.51.100.1"], "b");
    // A fresh guest from the same address: the address has started two already.
    expect(refusal(() => budget.require(["guest:3", "address:198.51.100.1"], "c"))).toBe(
      "429 channel",
    );
    expect(refusal(() => budget.require(["guest:3", "address:198.51.100.2"], "c"))).toBe("allowed");
    expect(refusal(() => budget.require(["guest:3"], "d"))).toBe("allowed");
  });
});
