import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import type { AttemptCounters } from "./attempt-counter";
import { resolveAuthLimits, SignInThrottle, SignUpThrottle } from "./auth-throttle";

const MINUTE = 60_000;
const limits = resolveAuthLimits(readEnv({}));

function createClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function failTimes(throttle: SignInThrottle, times: number, name: string, address?: string) {
  for (let i = 0; i < times; i++) await throttle.recordFailure(name, address);
}

/**
 * What the sign-in and sign-up throttles promise, wherever they count: run against memory
 * (auth-throttle.test.ts) and Postgres (db/auth-attempts.pg.test.ts). `counters` is called once
 * per test and starts from nothing.
 */
export function itThrottlesSignInsAndSignUps(counters: () => Promise<AttemptCounters>) {
  describe("SignInThrottle", () => {
    it("refuses a name after 10 failures in any case, for 15 minutes from the 10th", async () => {
      const clock = createClock();
      const throttle = new SignInThrottle(limits, { counters: await counters(), now: clock.now });
      for (let i = 0; i < 9; i++) {
        await throttle.recordFailure(i % 2 ? "Alice" : "ALICE", `203.0.113.${i}`);
        clock.advance(MINUTE);
      }
      expect((await throttle.check("alice", "198.51.100.1")).allowed).toBe(true);
      expect((await throttle.recordFailure("alice ", "198.51.100.1")).allowed).toBe(false);
      expect(await throttle.check("aLiCe", "198.51.100.2")).toEqual({
        allowed: false,
        retryAfterMs: 15 * MINUTE,
      });
      clock.advance(15 * MINUTE);
      expect((await throttle.check("alice", undefined)).allowed).toBe(true);
    });

    it("refuses an address after 10 failures across names, for every name", async () => {
      const throttle = new SignInThrottle(limits, {
        counters: await counters(),
        now: createClock().now,
      });
      for (let i = 0; i < 10; i++) await throttle.recordFailure(`name${i}`, "198.51.100.7");
      expect((await throttle.check("someone-else", "198.51.100.7")).allowed).toBe(false);
      expect((await throttle.check("someone-else", "198.51.100.8")).allowed).toBe(true);
    });

    it("forgets failures older than 15 minutes", async () => {
      const clock = createClock();
      const throttle = new SignInThrottle(limits, { counters: await counters(), now: clock.now });
      await failTimes(throttle, 9, "bob");
      clock.advance(15 * MINUTE + 1);
      await failTimes(throttle, 9, "bob");
      expect((await throttle.check("bob", undefined)).allowed).toBe(true);
    });

    it("clears the name's count on success, but not the address's", async () => {
      const throttle = new SignInThrottle(limits, {
        counters: await counters(),
        now: createClock().now,
      });
      await failTimes(throttle, 9, "bob", "198.51.100.9");
      await throttle.recordSuccess("Bob");
      await throttle.recordFailure("bob", "198.51.100.10");
      expect((await throttle.check("bob", "198.51.100.10")).allowed).toBe(true);
      await throttle.recordFailure("eve", "198.51.100.9");
      expect((await throttle.check("carol", "198.51.100.9")).allowed).toBe(false);
    });

    it("lets a browser that signed in to the name before past the name's and address's lockout", async () => {
      const throttle = new SignInThrottle(limits, {
        counters: await counters(),
        now: createClock().now,
      });
      await failTimes(throttle, 10, "ada", "198.51.100.20");
      expect((await throttle.check("ada", "198.51.100.20")).allowed).toBe(false);
      // The owner's browser, even behind the attacker's address: its own count only.
      expect((await throttle.check("ada", "198.51.100.20", "device-1")).allowed).toBe(true);
      for (let i = 0; i < 9; i++) await throttle.recordFailure("ada", "198.51.100.21", "device-1");
      expect((await throttle.recordFailure("ada", "198.51.100.21", "device-1")).allowed).toBe(
        false,
      );
      expect((await throttle.check("ada", undefined, "device-1")).allowed).toBe(false);
      expect((await throttle.check("ada", undefined, "device-2")).allowed).toBe(true);
      // A trusted browser's failures do not count against the name for everyone else.
      expect((await throttle.check("ada", "198.51.100.22")).allowed).toBe(false);
      expect((await throttle.check("bob", "198.51.100.22")).allowed).toBe(true);
      // Nor does its sign-in lift the name's lockout: whoever caused it gets no fresh guesses.
      await throttle.recordSuccess("ada", "device-2");
      expect((await throttle.check("ada", "198.51.100.22")).allowed).toBe(false);
    });

    it("honours configured limits", async () => {
      const throttle = new SignInThrottle(
        { ...limits, maxFailedSignInsPerAddress: 50 },
        { counters: await counters() },
      );
      await failTimes(throttle, 10, "a", "198.51.100.1");
      expect((await throttle.check("b", "198.51.100.1")).allowed).toBe(true);
    });
  });

  describe("SignUpThrottle", () => {
    it("allows 5 accounts per address per hour", async () => {
      const clock = createClock();
      const throttle = new SignUpThrottle(limits, { counters: await counters(), now: clock.now });
      for (let i = 0; i < 5; i++) {
        expect((await throttle.check("198.51.100.1")).allowed).toBe(true);
        await throttle.recordAccount("198.51.100.1");
      }
      expect(await throttle.check("198.51.100.1")).toEqual({
        allowed: false,
        retryAfterMs: 60 * MINUTE,
      });
      expect((await throttle.check("198.51.100.2")).allowed).toBe(true);
      clock.advance(60 * MINUTE);
      expect((await throttle.check("198.51.100.1")).allowed).toBe(true);
    });

    it("does not limit requests without an address", async () => {
      const throttle = new SignUpThrottle(limits, { counters: await counters() });
      for (let i = 0; i < 10; i++) await throttle.recordAccount(undefined);
      expect((await throttle.check(undefined)).allowed).toBe(true);
    });
  });
}
