import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  itThrottlesSignInsAndSignUps,
  rightPassword,
  wrongPassword,
} from "@/lib/auth/auth-throttle.contract";
import { resolveAuthLimits, SignInThrottle } from "@/lib/auth/auth-throttle";
import { readEnv } from "@/lib/env";
import { createTestDatabase, pgTemplateUrl, type TestDatabase } from "@/lib/testing/pg";
import { databaseAttemptCounters, storedAttemptKey } from "./auth-attempts";

const limits = resolveAuthLimits(readEnv({}));

describe.skipIf(!pgTemplateUrl)("sign-in and sign-up attempts counted in Postgres", () => {
  let db: TestDatabase;
  /** A second instance: its own pool on the same database. */
  let otherPool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    otherPool = new pg.Pool({ connectionString: db.url, max: 8 });
    // db.drop()'s DROP … WITH (FORCE) may still find one of its connections closing.
    otherPool.on("error", () => undefined);
  });

  afterAll(async () => {
    await otherPool.end();
    await db.drop();
  });

  const countersOn = (pool: pg.Pool) =>
    databaseAttemptCounters(() => Promise.resolve(drizzle(pool)));

  itThrottlesSignInsAndSignUps(async () => {
    await db.pool.query("TRUNCATE server_events_auth_attempts");
    return countersOn(db.pool);
  });

  it("locks a name after 10 failures spread over two instances, for both", async () => {
    await db.pool.query("TRUNCATE server_events_auth_attempts");
    const first = new SignInThrottle(limits, { counters: countersOn(db.pool) });
    const second = new SignInThrottle(limits, { counters: countersOn(otherPool) });
    for (let i = 0; i < 9; i++)
      await wrongPassword(i % 2 ? first : second, "grace", `203.0.113.${i}`);
    expect((await first.check("grace", "198.51.100.1")).allowed).toBe(true);
    expect((await wrongPassword(second, "Grace", "198.51.100.1")).allowed).toBe(false);
    expect((await first.check("grace", "198.51.100.2")).allowed).toBe(false);

    // The owner's sign-in on one instance clears the name's count on the other.
    for (let i = 0; i < 9; i++) await wrongPassword(first, "judy", `203.0.113.${i}`);
    await rightPassword(second, "judy", undefined);
    for (let i = 0; i < 9; i++) await wrongPassword(first, "judy", `203.0.113.${i}`);
    expect((await second.check("judy", "198.51.100.3")).allowed).toBe(true);
  });

  it("counts every one of many concurrent failures on two instances exactly once", async () => {
    await db.pool.query("TRUNCATE server_events_auth_attempts");
    const generous = { ...limits, maxFailedSignInsPerName: 100, maxFailedSignInsPerAddress: 1_000 };
    const first = new SignInThrottle(generous, { counters: countersOn(db.pool) });
    const second = new SignInThrottle(generous, { counters: countersOn(otherPool) });
    const verdicts = await Promise.all(
      Array.from({ length: 99 }, (_, i) =>
        wrongPassword(i % 2 ? first : second, "heidi", `203.0.113.${i}`),
      ),
    );
    expect(verdicts.every((verdict) => verdict.allowed)).toBe(true);
    const { rows } = await db.pool.query<{ hits: string[] }>(
      "SELECT hits FROM server_events_auth_attempts WHERE scope = 'signin:name' AND key = $1",
      [storedAttemptKey("heidi")],
    );
    expect(rows[0]?.hits).toHaveLength(99);
    // The hundredth, from either instance, starts the cool-down for both.
    expect((await wrongPassword(first, "heidi", "198.51.100.1")).allowed).toBe(false);
    expect((await second.check("heidi", "198.51.100.2")).allowed).toBe(false);
  });

  it("counts names a visitor typed with NUL and lone surrogates in them, and stores no name", async () => {
    await db.pool.query("TRUNCATE server_events_auth_attempts");
    const throttle = new SignInThrottle(limits, { counters: countersOn(db.pool) });
    for (let i = 0; i < 10; i++) await wrongPassword(throttle, "a\u0000b\ud800", "198.51.100.30");
    expect((await throttle.check("A\u0000B\ud800", undefined)).allowed).toBe(false);
    const { rows } = await db.pool.query<{ key: string }>(
      "SELECT key FROM server_events_auth_attempts",
    );
    // The name and the address, each only as its SHA-256.
    expect(rows).toHaveLength(2);
    for (const { key } of rows) expect(key).toMatch(/^[\w-]{43}$/u);
  });

  it("deletes rows whose window has passed, at most once a minute", async () => {
    await db.pool.query("TRUNCATE server_events_auth_attempts");
    let now = 1_000_000;
    const throttle = new SignInThrottle(limits, {
      counters: countersOn(db.pool),
      now: () => now,
    });
    for (let i = 0; i < 5; i++) await wrongPassword(throttle, `name${i}`, undefined);
    now += 15 * 60_000;
    await wrongPassword(throttle, "late", undefined);
    const { rows } = await db.pool.query<{ key: string }>(
      "SELECT key FROM server_events_auth_attempts",
    );
    expect(rows.map((row) => row.key)).toEqual([storedAttemptKey("late")]);
  });
});
