import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import {
  formatWait,
  resolveAuthLimits,
  SignInThrottle,
  SignUpThrottle,
  tooManyFailedSignInsMessage,
} from "./auth-throttle";

const MINUTE = 60_000;
const limits = resolveAuthLimits(readEnv({}));

function createClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function failTimes(throttle: SignInThrottle, times: number, name: string, address?: string) {
  for (let i = 0; i < times; i++) throttle.recordFailure(name, address);
}

describe("SignInThrottle", () => {
  it("defaults to 10 failures per name or address and 5 accounts per address", () => {
    expect(limits).toEqual({
      maxFailedSignInsPerName: 10,
      maxFailedSignInsPerAddress: 10,
      maxSignUpsPerAddress: 5,
    });
  });

  it("refuses a name after 10 failures in any case, for 15 minutes from the 10th", () => {
    const clock = createClock();
    const throttle = new SignInThrottle(limits, clock.now);
    for (let i = 0; i < 9; i++) {
      throttle.recordFailure(i % 2 ? "Alice" : "ALICE", `203.0.113.${i}`);
      clock.advance(MINUTE);
    }
    expect(throttle.check("alice", "198.51.100.1").allowed).toBe(true);
    expect(throttle.recordFailure("alice ", "198.51.100.1").allowed).toBe(false);
    expect(throttle.check("aLiCe", "198.51.100.2")).toEqual({
      allowed: false,
      retryAfterMs: 15 * MINUTE,
    });
    clock.advance(15 * MINUTE);
    expect(throttle.check("alice", undefined).allowed).toBe(true);
  });

  it("refuses an address after 10 failures across names, for every name", () => {
    const throttle = new SignInThrottle(limits, createClock().now);
    for (let i = 0; i < 10; i++) throttle.recordFailure(`name${i}`, "198.51.100.7");
    expect(throttle.check("someone-else", "198.51.100.7").allowed).toBe(false);
    expect(throttle.check("someone-else", "198.51.100.8").allowed).toBe(true);
  });

  it("forgets failures older than 15 minutes", () => {
    const clock = createClock();
    const throttle = new SignInThrottle(limits, clock.now);
    failTimes(throttle, 9, "bob");
    clock.advance(15 * MINUTE + 1);
    failTimes(throttle, 9, "bob");
    expect(throttle.check("bob", undefined).allowed).toBe(true);
  });

  it("clears the name's count on success, but not the address's", () => {
    const throttle = new SignInThrottle(limits, createClock().now);
    failTimes(throttle, 9, "bob", "198.51.100.9");
    throttle.recordSuccess("Bob");
    throttle.recordFailure("bob", "198.51.100.10");
    expect(throttle.check("bob", "198.51.100.10").allowed).toBe(true);
    throttle.recordFailure("eve", "198.51.100.9");
    expect(throttle.check("carol", "198.51.100.9").allowed).toBe(false);
  });

  it("lets a browser that signed in to the name before past the name's and address's lockout", () => {
    const throttle = new SignInThrottle(limits, createClock().now);
    failTimes(throttle, 10, "ada", "198.51.100.20");
    expect(throttle.check("ada", "198.51.100.20").allowed).toBe(false);
    // The owner's browser, even behind the attacker's address: its own count only.
    expect(throttle.check("ada", "198.51.100.20", "device-1").allowed).toBe(true);
    for (let i = 0; i < 9; i++) throttle.recordFailure("ada", "198.51.100.21", "device-1");
    expect(throttle.recordFailure("ada", "198.51.100.21", "device-1").allowed).toBe(false);
    expect(throttle.check("ada", undefined, "device-1").allowed).toBe(false);
    expect(throttle.check("ada", undefined, "device-2").allowed).toBe(true);
    // A trusted browser's failures do not count against the name for everyone else.
    expect(throttle.check("ada", "198.51.100.22").allowed).toBe(false);
    expect(throttle.check("bob", "198.51.100.22").allowed).toBe(true);
    // Nor does its sign-in lift the name's lockout: whoever caused it gets no fresh guesses.
    throttle.recordSuccess("ada", "device-2");
    expect(throttle.check("ada", "198.51.100.22").allowed).toBe(false);
  });

  it("honours configured limits", () => {
    const throttle = new SignInThrottle({ ...limits, maxFailedSignInsPerAddress: 50 });
    failTimes(throttle, 10, "a", "198.51.100.1");
    expect(throttle.check("b", "198.51.100.1").allowed).toBe(true);
  });
});

describe("SignUpThrottle", () => {
  it("allows 5 accounts per address per hour", () => {
    const clock = createClock();
    const throttle = new SignUpThrottle(limits, clock.now);
    for (let i = 0; i < 5; i++) {
      expect(throttle.check("198.51.100.1").allowed).toBe(true);
      throttle.recordAccount("198.51.100.1");
    }
    expect(throttle.check("198.51.100.1")).toEqual({ allowed: false, retryAfterMs: 60 * MINUTE });
    expect(throttle.check("198.51.100.2").allowed).toBe(true);
    clock.advance(60 * MINUTE);
    expect(throttle.check("198.51.100.1").allowed).toBe(true);
  });

  it("does not limit requests without an address", () => {
    const throttle = new SignUpThrottle(limits);
    for (let i = 0; i < 10; i++) throttle.recordAccount(undefined);
    expect(throttle.check(undefined).allowed).toBe(true);
  });
});

describe("messages", () => {
  it("round minutes up", () => {
    expect(formatWait(1)).toBe("1 minute");
    expect(formatWait(MINUTE + 1)).toBe("2 minutes");
    expect(tooManyFailedSignInsMessage(15 * MINUTE)).toBe(
      "Too many failed attempts; try again in 15 minutes",
    );
  });
});
