import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";
import type { AttemptCounters } from "./attempt-counter";
import type { RateLimitVerdict } from "./attempt-limiter";
import { resolveAuthLimits, SignInThrottle, SignUpThrottle } from "./auth-throttle";

const MINUTE = 60_000;
const limits = resolveAuthLimits(readEnv({}));

function createClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A wrong password: the verdict for the next attempt, or the refusal of this one. */
export async function wrongPassword(
  throttle: SignInThrottle,
  name: string,
  address: string | undefined,
  device?: string,
): Promise<RateLimitVerdict> {
  const attempt = await throttle.begin(name, address, device);
  return attempt.allowed ? attempt.after : attempt;
}

/** The right password. */
export async function rightPassword(
  throttle: SignInThrottle,
  name: string,
  address: string | undefined,
  device?: string,
): Promise<void> {
  const attempt = await throttle.begin(name, address, device);
  if (!attempt.allowed) throw new Error(`${name} is locked`);
  await attempt.succeeded();
}

async function failTimes(throttle: SignInThrottle, times: number, name: string, address?: string) {
  for (let i = 0; i < times; i++) await wrongPassword(throttle, name, address);
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
        await wrongPassword(throttle, i % 2 ? "Alice" : "ALICE", `203.0.113.${i}`);
        clock.advance(MINUTE);
      }
      expect((await throttle.check("alice", "198.51.100.1")).allowed).toBe(true);
      expect((await wrongPassword(throttle, "alice ", "198.51.100.1")).allowed).toBe(false);
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
      for (let i = 0; i < 10; i++) await wrongPassword(throttle, `name${i}`, "198.51.100.7");
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
      await rightPassword(throttle, "Bob", undefined);
      await wrongPassword(throttle, "bob", "198.51.100.10");
      expect((await throttle.check("bob", "198.51.100.10")).allowed).toBe(true);
      await wrongPassword(throttle, "eve", "198.51.100.9");
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
      for (let i = 0; i < 9; i++) await wrongPassword(throttle, "ada", "198.51.100.21", "device-1");
      expect((await wrongPassword(throttle, "ada", "198.51.100.21", "device-1")).allowed).toBe(
        false,
      );
      expect((await throttle.check("ada", undefined, "device-1")).allowed).toBe(false);
      expect((await throttle.check("ada", undefined, "device-2")).allowed).toBe(true);
      // A trusted browser's failures do not count against the name for everyone else.
      expect((await throttle.check("ada", "198.51.100.22")).allowed).toBe(false);
      expect((await throttle.check("bob", "198.51.100.22")).allowed).toBe(true);
      // Nor does its sign-in lift the name's lockout: whoever caused it gets no fresh guesses.
      await rightPassword(throttle, "ada", undefined, "device-2");
      expect((await throttle.check("ada", "198.51.100.22")).allowed).toBe(false);
    });

    it("holds the limit against attempts sent at once: ten are judged, the rest refused", async () => {
      const throttle = new SignInThrottle(limits, { counters: await counters() });
      const attempts = await Promise.all(
        Array.from({ length: 50 }, (_, i) => throttle.begin("ivan", `203.0.113.${i}`)),
      );
      expect(attempts.filter((attempt) => attempt.allowed)).toHaveLength(10);
      expect((await throttle.check("ivan", "198.51.100.40")).allowed).toBe(false);
    });

    it("takes back the right password's attempt from the address, but not its failures", async () => {
      const throttle = new SignInThrottle(limits, { counters: await counters() });
      await failTimes(throttle, 8, "mallory", "198.51.100.50");
      // The owner of another account behind the same address signs in, twice.
      await rightPassword(throttle, "oscar", "198.51.100.50");
      await rightPassword(throttle, "oscar", "198.51.100.50");
      expect((await throttle.check("peggy", "198.51.100.50")).allowed).toBe(true);
      // Two more failures reach ten.
      await failTimes(throttle, 2, "mallory2", "198.51.100.50");
      expect((await throttle.check("peggy", "198.51.100.50")).allowed).toBe(false);
    });

    it("lifts a lockout the right password's own attempt started", async () => {
      const throttle = new SignInThrottle(limits, { counters: await counters() });
      await failTimes(throttle, 9, "trent");
      // The tenth attempt is in flight (counted, so the name is locked) when it turns out right.
      const attempt = await throttle.begin("trent", undefined);
      if (!attempt.allowed) throw new Error("refused");
      expect(attempt.after.allowed).toBe(false);
      await attempt.succeeded();
      expect((await throttle.check("trent", undefined)).allowed).toBe(true);
    });

    it("counts every spelling the database may take for a name as that name", async () => {
      const throttle = new SignInThrottle(limits, { counters: await counters() });
      const spellings = ["İvan", "ivan", "IVAN", "I\u0307van", "ＩＶＡＮ", "Ivan "];
      for (let i = 0; i < 10; i++) await wrongPassword(throttle, spellings[i % 6]!, undefined);
      for (const spelling of spellings)
        expect((await throttle.check(spelling, undefined)).allowed).toBe(false);
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
      for (let i = 0; i < 5; i++) expect((await throttle.begin("198.51.100.1")).allowed).toBe(true);
      expect(await throttle.begin("198.51.100.1")).toEqual({
        allowed: false,
        retryAfterMs: 60 * MINUTE,
      });
      expect((await throttle.begin("198.51.100.2")).allowed).toBe(true);
      clock.advance(60 * MINUTE);
      expect((await throttle.begin("198.51.100.1")).allowed).toBe(true);
    });

    it("takes back an account that was not made", async () => {
      const throttle = new SignUpThrottle(limits, { counters: await counters() });
      for (let i = 0; i < 10; i++) {
        const signUp = await throttle.begin("198.51.100.3");
        if (!signUp.allowed) throw new Error("refused");
        await signUp.forgive();
      }
      expect((await throttle.begin("198.51.100.3")).allowed).toBe(true);
    });

    it("holds the limit against sign-ups sent at once", async () => {
      const throttle = new SignUpThrottle(limits, { counters: await counters() });
      const verdicts = await Promise.all(
        Array.from({ length: 20 }, () => throttle.begin("198.51.100.4")),
      );
      expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(5);
    });

    it("does not limit requests without an address", async () => {
      const throttle = new SignUpThrottle(limits, { counters: await counters() });
      for (let i = 0; i < 10; i++) expect((await throttle.begin(undefined)).allowed).toBe(true);
    });
  });
}
