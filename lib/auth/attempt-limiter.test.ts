import { afterEach, describe, expect, it, vi } from "vitest";
import { AttemptLimiter } from "./attempt-limiter";

const MINUTE = 60_000;

function createClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function hitTimes(limiter: AttemptLimiter, key: string, times: number) {
  return Array.from({ length: times }, () => limiter.hit(key));
}

describe("AttemptLimiter", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("blocks a key at the limit, for blockMs from the event that reached it", () => {
    const clock = createClock();
    const limiter = new AttemptLimiter({ limit: 3, windowMs: 15 * MINUTE, now: clock.now });
    const verdicts = hitTimes(limiter, "alice", 3);
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, false]);
    expect(limiter.check("alice")).toEqual({ allowed: false, retryAfterMs: 15 * MINUTE });
    clock.advance(10 * MINUTE);
    expect(limiter.check("alice")).toEqual({ allowed: false, retryAfterMs: 5 * MINUTE });
    clock.advance(5 * MINUTE);
    expect(limiter.check("alice")).toEqual({ allowed: true });
  });

  it("does not prolong the block for attempts made during it", () => {
    const clock = createClock();
    const limiter = new AttemptLimiter({
      limit: 2,
      windowMs: MINUTE,
      blockMs: 10 * MINUTE,
      now: clock.now,
    });
    hitTimes(limiter, "k", 2);
    clock.advance(5 * MINUTE);
    expect(limiter.hit("k")).toEqual({ allowed: false, retryAfterMs: 5 * MINUTE });
    clock.advance(5 * MINUTE);
    expect(limiter.check("k").allowed).toBe(true);
    expect(limiter.hit("k").allowed).toBe(true); // a fresh count after the cool-down
  });

  it("starts a fresh count after a cool-down shorter than the window", () => {
    const clock = createClock();
    const limiter = new AttemptLimiter({
      limit: 2,
      windowMs: 10 * MINUTE,
      blockMs: MINUTE,
      now: clock.now,
    });
    hitTimes(limiter, "k", 2);
    clock.advance(MINUTE);
    // The two attempts behind the block are still inside the window, but no longer count.
    expect(limiter.hit("k").allowed).toBe(true);
    expect(limiter.hit("k").allowed).toBe(false);
  });

  it("lifts the block when one of the attempts behind it is forgiven", () => {
    const clock = createClock();
    const limiter = new AttemptLimiter({ limit: 3, windowMs: MINUTE, now: clock.now });
    const first = limiter.attempt("k");
    clock.advance(1);
    limiter.attempt("k");
    clock.advance(1);
    limiter.attempt("k");
    expect(limiter.check("k").allowed).toBe(false);
    if (!first.allowed) throw new Error("refused");
    limiter.forgive("k", first.at);
    expect(limiter.check("k").allowed).toBe(true);
    // Two failures remain: the next one blocks again.
    expect(limiter.hit("k").allowed).toBe(false);
    // An attempt refused while blocked was never counted, so there is nothing to forgive.
    expect(limiter.attempt("k")).toEqual({ allowed: false, retryAfterMs: MINUTE });
  });

  it("only counts events inside the sliding window", () => {
    const clock = createClock();
    const limiter = new AttemptLimiter({ limit: 3, windowMs: 15 * MINUTE, now: clock.now });
    limiter.hit("k");
    clock.advance(10 * MINUTE);
    limiter.hit("k");
    clock.advance(6 * MINUTE); // the first hit is now 16 minutes old
    expect(limiter.hit("k").allowed).toBe(true);
    expect(limiter.hit("k").allowed).toBe(false);
  });

  it("keeps keys apart, and reset forgets one", () => {
    const limiter = new AttemptLimiter({ limit: 1, windowMs: MINUTE });
    limiter.hit("a");
    expect(limiter.check("a").allowed).toBe(false);
    expect(limiter.check("b").allowed).toBe(true);
    limiter.reset("a");
    expect(limiter.check("a").allowed).toBe(true);
  });

  it("uses Date.now by default, so fake timers drive it", () => {
    vi.useFakeTimers();
    const limiter = new AttemptLimiter({ limit: 1, windowMs: MINUTE });
    limiter.hit("k");
    vi.advanceTimersByTime(MINUTE - 1);
    expect(limiter.check("k")).toEqual({ allowed: false, retryAfterMs: 1 });
    vi.advanceTimersByTime(1);
    expect(limiter.check("k")).toEqual({ allowed: true });
    expect(limiter.size).toBe(0); // expired entries are dropped when looked at
  });

  it("stays within maxKeys, dropping expired keys first", () => {
    const clock = createClock();
    const limiter = new AttemptLimiter({ limit: 5, windowMs: MINUTE, maxKeys: 3, now: clock.now });
    limiter.hit("old-1");
    limiter.hit("old-2");
    clock.advance(MINUTE);
    limiter.hit("new-1");
    limiter.hit("new-2");
    expect(limiter.size).toBe(2);
    for (let i = 0; i < 100; i++) limiter.hit(`flood-${i}`);
    expect(limiter.size).toBe(3);
  });

  it("spares blocked keys when a flood of new keys fills the map", () => {
    const limiter = new AttemptLimiter({
      limit: 2,
      windowMs: MINUTE,
      maxKeys: 3,
      now: createClock().now,
    });
    hitTimes(limiter, "victim", 2);
    for (let i = 0; i < 100; i++) limiter.hit(`flood-${i}`);
    expect(limiter.check("victim").allowed).toBe(false);
    expect(limiter.size).toBe(3);
  });
});
