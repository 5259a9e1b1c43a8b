import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limiter";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("RateLimiter", () => {
  it("allows a burst, then refuses with the wait until the next token", () => {
    const time = clock();
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, time.now);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([0, 0, 0]);
    expect(limiter.take("a")).toBe(500);
    time.advance(500);
    expect(limiter.take("a")).toBe(0);
    expect(limiter.take("a")).toBe(500);
  });

  it("charges work after the fact, into debt, and refuses until the debt is repaid", () => {
    const time = clock();
    const limiter = new RateLimiter({ perSecond: 10, burst: 10 }, time.now);
    limiter.charge("a", 20);
    // 10 tokens in debt: a token is 1.1 s away.
    expect(limiter.take("a")).toBe(1100);
    time.advance(1500);
    // Still in debt after the sweep period: a debt is not forgotten with the refilled buckets.
    limiter.take("other");
    // Half a second's refill is left: five tokens, not a fresh burst of ten.
    expect(Array.from({ length: 6 }, () => limiter.take("a"))).toEqual([0, 0, 0, 0, 0, 100]);
  });

  it("keeps keys apart", () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, clock().now);
    expect(limiter.take("a")).toBe(0);
    expect(limiter.take("b")).toBe(0);
    expect(limiter.take("a")).toBeGreaterThan(0);
  });

  it("never holds more than maxKeys buckets, and forgets refilled ones", () => {
    const time = clock();
    const limiter = new RateLimiter({ perSecond: 10, burst: 10 }, time.now, 100);
    for (let i = 0; i < 1000; i++) limiter.take(`k${i}`);
    expect(limiter.size).toBe(100);
    time.advance(1000);
    limiter.take("fresh");
    expect(limiter.size).toBe(1);
  });
});
