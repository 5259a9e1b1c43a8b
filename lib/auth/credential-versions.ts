import { ExpiringCache } from "@/lib/next/expiring-cache";

/**
 * Whether a session still counts: every session token carries the credential version its account
 * had when it was issued (the `cv` claim), and a password change moves the account's version on,
 * which ends every session issued before it — on every instance, within `ttlMs`.
 */
export interface CredentialVersions {
  /** Whether a session issued under `version` for `userId` still counts (false: no such account). */
  isCurrent(userId: string, version: number): Promise<boolean>;
  /** Drops what this process knew of the account, so that a change made here counts at once. */
  forget(userId: string): void;
}

export interface CredentialVersionsOptions {
  /** The account's version now, or undefined when there is no such account. */
  lookup: (userId: string) => Promise<number | undefined>;
  /** How long one answer is reused: how late other instances learn of a change. @default 30000 */
  ttlMs?: number;
  /** How long a failed look-up is not retried; sessions count meanwhile. @default 5000 */
  retryAfterErrorMs?: number;
  /** Accounts remembered at once; the oldest go first. @default 10000 */
  maxEntries?: number;
  now?: () => number;
  /** Told of a failed look-up (the database is down): the session is let through. */
  onLookupError?: (error: unknown) => void;
}

/** Tokens from before versions existed carry none: they were issued under version 0. */
export const credentialVersionOf = (claims: Record<string, unknown>): number =>
  typeof claims.cv === "number" && Number.isSafeInteger(claims.cv) ? claims.cv : 0;

/**
 * One look-up per account per `ttlMs`, shared by every session and tab of that account, so the
 * heartbeats of the Server Events endpoints do not each ask the database. When the database
 * cannot answer, sessions keep counting (fail open): the token itself is still authentic, and
 * the chat should not go down with the accounts' database; a revocation then waits for it.
 */
export function createCredentialVersions(options: CredentialVersionsOptions): CredentialVersions {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 30_000;
  const retryAfterErrorMs = options.retryAfterErrorMs ?? 5_000;
  // undefined: no such account; "unknown": the look-up failed.
  const cache = new ExpiringCache<Promise<number | undefined | "unknown">>(
    options.maxEntries ?? 10_000,
    now,
  );

  const fetch = (userId: string) => {
    const answer = options.lookup(userId).catch((error: unknown) => {
      options.onLookupError?.(error);
      cache.expireBy(userId, now() + retryAfterErrorMs);
      return "unknown" as const;
    });
    cache.set(userId, answer, now() + ttlMs);
    return answer;
  };

  return {
    async isCurrent(userId, version) {
      if (!userId) return false;
      let current = await (cache.get(userId) ?? fetch(userId));
      // Versions only go up: a session newer than what this instance remembers was issued after
      // a change made elsewhere, and must not be refused until the answer expires.
      if (typeof current === "number" && version > current) current = await fetch(userId);
      return current === "unknown" || current === version;
    },
    forget(userId) {
      cache.delete(userId);
    },
  };
}
