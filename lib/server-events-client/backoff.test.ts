import { describe, expect, it } from "vitest";
import { createBackoff } from "./backoff";

describe("createBackoff", () => {
  it("grows the delay by the factor and caps it", () => {
    const backoff = createBackoff({
      initialDelayMs: 500,
      maxDelayMs: 3000,
      factor: 2,
      jitter: false,
    });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([
      500, 1000, 2000, 3000, 3000, 3000,
    ]);
    expect(backoff.attempt).toBe(6);
  });

  it("applies full jitter: a random share of the capped ceiling", () => {
    const randoms = [0, 0.5, 0.999, 0.25];
    const backoff = createBackoff({ maxDelayMs: 30_000, random: () => randoms.shift() ?? 0 });
    expect(backoff.next()).toBe(0); // 0 × 500
    expect(backoff.next()).toBe(500); // 0.5 × 1000
    expect(backoff.next()).toBe(1998); // 0.999 × 2000
    expect(backoff.next()).toBe(1000); // 0.25 × 4000
  });

  it("uses the documented defaults: 500 ms, ×2, capped at 30 s", () => {
    const backoff = createBackoff({ jitter: false });
    const delays = Array.from({ length: 10 }, () => backoff.next());
    expect(delays.slice(0, 3)).toEqual([500, 1000, 2000]);
    expect(delays.at(-1)).toBe(30_000);
  });

  it("starts over after reset", () => {
    const backoff = createBackoff({ jitter: false });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.attempt).toBe(0);
    expect(backoff.next()).toBe(500);
  });

  it("stays capped after very many attempts", () => {
    const backoff = createBackoff({ jitter: false, maxDelayMs: 1000 });
    for (let i = 0; i < 2000; i++) backoff.next();
    expect(backoff.next()).toBe(1000);
  });
});
