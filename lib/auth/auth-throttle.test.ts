import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import { inMemoryAttemptCounters } from "./attempt-counter";
import { itThrottlesSignInsAndSignUps, rightPassword } from "./auth-throttle.contract";
import {
  formatWait,
  resolveAuthLimits,
  SignInThrottle,
  tooManyFailedSignInsMessage,
} from "./auth-throttle";

const MINUTE = 60_000;

describe("auth limits", () => {
  it("default to 10 failures per name or address, 5 accounts per address, 30 checks a minute", () => {
    expect(resolveAuthLimits(readEnv({}))).toEqual({
      maxFailedSignInsPerName: 10,
      maxFailedSignInsPerAddress: 10,
      maxSignUpsPerAddress: 5,
      maxPasswordChecksPerMinute: 30,
    });
  });
});

describe("password checks per address", () => {
  const limits = { ...resolveAuthLimits(readEnv({})), maxPasswordChecksPerMinute: 30 };

  it("lets an address check 30 right passwords at once, then one every two seconds", async () => {
    let now = 0;
    const throttle = new SignInThrottle(limits, { now: () => now });
    for (let i = 0; i < 30; i++) await rightPassword(throttle, "mallory", "203.0.113.5");
    const refused = await throttle.begin("mallory", "203.0.113.5");
    expect(refused).toEqual({ allowed: false, retryAfterMs: 2_000 });
    expect((await throttle.begin("ada", "198.51.100.1")).allowed).toBe(true);
    now += 2_000;
    await rightPassword(throttle, "mallory", "203.0.113.5");
  });

  it("keeps a few checks a minute for a browser that signed in to the name before", async () => {
    let now = 0;
    const throttle = new SignInThrottle(limits, { now: () => now });
    // A neighbour behind the same address spends all of its checks…
    for (let i = 0; i < 30; i++) await rightPassword(throttle, "mallory", "203.0.113.5");
    // …and Ada, from her own browser, still signs in, five times a minute.
    for (let i = 0; i < 5; i++) await rightPassword(throttle, "ada", "203.0.113.5", "ada-laptop");
    expect((await throttle.begin("ada", "203.0.113.5", "ada-laptop")).allowed).toBe(false);
    // Other cookies for the name share those five.
    expect((await throttle.begin("ada", "203.0.113.5", "another-device")).allowed).toBe(false);
    expect((await throttle.begin("mallory", "203.0.113.5")).allowed).toBe(false);
    now += 12_000;
    await rightPassword(throttle, "ada", "203.0.113.5", "ada-laptop");
  });

  it("can be turned off, and skips requests without an address", async () => {
    const off = new SignInThrottle({ ...limits, maxPasswordChecksPerMinute: 0 });
    for (let i = 0; i < 40; i++) await rightPassword(off, "mallory", "203.0.113.5");
    const on = new SignInThrottle(limits);
    for (let i = 0; i < 40; i++) await rightPassword(on, "mallory", undefined);
  });
});

describe("in memory", () => {
  itThrottlesSignInsAndSignUps(() => Promise.resolve(inMemoryAttemptCounters));
});

describe("messages", () => {
  it("round minutes up", () => {
    expect(formatWait(1)).toBe("1 minute");
    expect(formatWait(MINUTE + 1)).toBe("2 minutes");
    expect(tooManyFailedSignInsMessage(15 * MINUTE)).toBe(
      "Too many attempts; try again in 15 minutes",
    );
  });
});
