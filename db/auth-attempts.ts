import { createHash } from "node:crypto";
import { and, eq, lte, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { AttemptCounter, AttemptCounters } from "@/lib/auth/attempt-counter";
import {
  emptyAttemptWindow,
  forgiveAttempt,
  tryAttempt,
  verdictOf,
  type AttemptRule,
  type AttemptWindow,
} from "@/lib/auth/attempt-window";
import {
  createAuthThrottles,
  resolveAuthLimits,
  type AuthThrottles,
} from "@/lib/auth/auth-throttle";
import { attemptRuleOf } from "@/lib/auth/attempt-limiter";
import { env } from "@/lib/env";
import { authAttempts } from "./auth-schema";
import { getAuthDb } from "./auth-store";

type AuthDb = PgDatabase<PgQueryResultHKT>;

/** How often one process deletes expired rows: often enough to stay small, rarely enough to be free. */
const PRUNE_INTERVAL_MS = 60_000;

/**
 * What a key is stored as: its SHA-256, so the table holds no names or addresses, and a key a
 * visitor typed (a name with a NUL in it, which Postgres text cannot hold) is always storable.
 */
export const storedAttemptKey = (key: string) =>
  createHash("sha256").update(key).digest("base64url");

/** The moment a window holds nothing that counts any more. */
const expiryOf = (window: AttemptWindow, rule: AttemptRule) =>
  Math.max(window.blockedUntil, Math.max(0, ...window.hits) + rule.windowMs);

/**
 * Attempt counters in the accounts' database, so that a cluster's instances count together: ten
 * wrong passwords lock a name however the load balancer spreads them. Each attempt is counted
 * in a transaction that locks the key's row, by the same rule as the in-memory limiter
 * (lib/auth/attempt-window.ts), so concurrent attempts on several instances are neither lost
 * nor counted twice. Times come from `now` (each instance's clock), as in memory.
 */
export function databaseAttemptCounters(db: () => Promise<AuthDb>): AttemptCounters {
  let prunedAt = Number.NEGATIVE_INFINITY;
  return (scope, options): AttemptCounter => {
    const rule = attemptRuleOf(options);
    const now = options.now ?? Date.now;
    const row = (key: string) =>
      and(eq(authAttempts.scope, scope), eq(authAttempts.key, storedAttemptKey(key)));

    async function pruneNowAndThen(database: AuthDb, at: number): Promise<void> {
      if (at - prunedAt < PRUNE_INTERVAL_MS) return;
      prunedAt = at;
      await database.delete(authAttempts).where(lte(authAttempts.expiresAt, at));
    }

    /** Applies `change` to `key`'s window under a lock on its row (created first if missing). */
    async function update<T>(
      key: string,
      change: (window: AttemptWindow) => { window: AttemptWindow; result: T },
    ): Promise<T> {
      const database = await db();
      const stored = storedAttemptKey(key);
      return database.transaction(async (tx) => {
        // The row exists, locked, before it is read: two first attempts cannot both miss it,
        // and a prune cannot delete it in between (DO NOTHING would not lock it).
        await tx
          .insert(authAttempts)
          .values({ scope, key: stored, hits: [], blockedUntil: 0, expiresAt: 0 })
          .onConflictDoUpdate({
            target: [authAttempts.scope, authAttempts.key],
            set: { scope: sql`excluded.scope` },
          });
        const [current] = await tx
          .select({ hits: authAttempts.hits, blockedUntil: authAttempts.blockedUntil })
          .from(authAttempts)
          .where(row(key))
          .for("update");
        const { window, result } = change(current ?? emptyAttemptWindow());
        await tx
          .update(authAttempts)
          .set({ ...window, expiresAt: expiryOf(window, rule) })
          .where(row(key));
        return result;
      });
    }

    return {
      async check(key) {
        const database = await db();
        const [stored] = await database
          .select({ hits: authAttempts.hits, blockedUntil: authAttempts.blockedUntil })
          .from(authAttempts)
          .where(row(key));
        return verdictOf(stored ?? emptyAttemptWindow(), now());
      },

      async attempt(key) {
        const at = now();
        const verdict = await update(key, (window) => {
          const tried = tryAttempt(window, at, rule);
          return { window: tried.window, result: tried.verdict };
        });
        await pruneNowAndThen(await db(), at);
        return verdict;
      },

      async forgive(key, at) {
        await update(key, (window) => ({
          window: forgiveAttempt(window, at, now(), rule),
          result: undefined,
        }));
      },

      async reset(key) {
        const database = await db();
        await database.delete(authAttempts).where(row(key));
      },
    };
  };
}

// On globalThis so that dev-server reloads, and the route handler and server actions (separate
// bundles in Next), all count in one place.
const globalCache = globalThis as unknown as { __serverEventsAuthThrottles?: AuthThrottles };

/**
 * The app's throttles, configured from the environment once. With `DATABASE_URL` (the accounts in
 * Postgres, shared by every instance) they count there too; without it the app is one process
 * with an embedded database, and counts in memory.
 */
export function getAuthThrottles(): AuthThrottles {
  globalCache.__serverEventsAuthThrottles ??= createAuthThrottles(
    resolveAuthLimits(env),
    env.DATABASE_URL ? { counters: databaseAttemptCounters(getAuthDb) } : {},
  );
  return globalCache.__serverEventsAuthThrottles;
}
