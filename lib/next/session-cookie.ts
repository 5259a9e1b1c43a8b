import { createHash } from "node:crypto";
import { decode as decodeJwt } from "next-auth/jwt";
import { env as processEnv, type Env } from "@/lib/env";
import type { RequestHead } from "@/lib/server-events";
import { currentRole } from "@/lib/auth/admin-users";
import { credentialVersionOf } from "@/lib/auth/credential-versions";
import { isHttpsSite } from "@/lib/auth/request-scheme";
import { resolveAuthSecret } from "./auth-secret";
import { ExpiringCache } from "./expiring-cache";

/** Auth.js's session cookie; the `__Secure-` name on https, as Auth.js itself decides. */
export const SESSION_COOKIE = "authjs.session-token";
export const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;

/** Longest session token read: Auth.js chunks a token past 4 KB; ours carry four short claims. */
const MAX_TOKEN_LENGTH = 8192;

/** The signed-in user, as auth.ts's `session` callback shapes `session.user`. */
export interface SessionUser {
  id: string;
  name: string;
  role: string;
  sessionId: string;
  /** The account's credential version when this session was issued (lib/auth/credential-versions.ts). */
  credentialVersion: number;
}

type Claims = Record<string, unknown>;
type AuthUrls = Pick<Env, "AUTH_URL" | "NEXTAUTH_URL">;
type Decode = (params: { token: string; secret: string; salt: string }) => Promise<Claims | null>;

export interface SessionReaderOptions {
  /** The key the cookie is encrypted with. @default resolveAuthSecret */
  secret?: () => string;
  /** Decrypts and verifies the JWE (exp included). @default decode from next-auth/jwt */
  decode?: Decode;
  /** Cookies remembered at once; the oldest go first. @default 10000 */
  maxEntries?: number;
  /** How long one cookie's answer is reused, at most (never past the token's exp). @default 60000 */
  ttlMs?: number;
  now?: () => number;
  /** `AUTH_URL`/`NEXTAUTH_URL` decide http or https when set, as in Auth.js. @default the env */
  env?: AuthUrls;
  /** Who is an admin whatever the token says. @default ADMIN_USERS */
  adminUsers?: readonly string[];
  /**
   * Whether the session still counts (its password has not changed since), asked on every read:
   * the answer for a cookie is kept, this question is not. @default every session counts
   */
  isCurrent?: (user: SessionUser) => Promise<boolean>;
}

/**
 * `session.user` from a decoded token (uid → id, name, accountRole → role, sid → sessionId,
 * cv → credentialVersion), for
 * auth.ts's `session` callback and for the cookie reader below alike. The role is the account's
 * unless the name is in `ADMIN_USERS` now (`currentRole`); an older token's `role` claim, which
 * may hold the list's "admin" from its sign-in, is ignored.
 */
export function sessionUserFromToken(token: Claims, adminUsers: readonly string[]): SessionUser {
  const text = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);
  const name = text(token.name);
  return {
    id: text(token.uid),
    name,
    role: currentRole({ name, role: text(token.accountRole, "user") }, adminUsers),
    sessionId: text(token.sid),
    credentialVersion: credentialVersionOf(token),
  };
}

/**
 * Who the Auth.js session cookie says is calling — what `auth()` answers, without Next's request
 * context and without decrypting the JWE on every heartbeat: what a cookie value proved is kept
 * (bounded, expiring) under that exact value, so ownership checks stay exact.
 */
export function createSessionReader(
  options: SessionReaderOptions = {},
): (request: RequestHead) => Promise<SessionUser | null> {
  const secret = options.secret ?? (() => resolveAuthSecret());
  const decode: Decode = options.decode ?? decodeJwt;
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 60_000;
  const env = options.env ?? processEnv;
  const cache = new ExpiringCache<Promise<SessionUser | null>>(options.maxEntries ?? 10_000, now);

  const decrypt = async (key: string, name: string, token: string, encryptionSecret: string) => {
    try {
      const claims = await decode({ token, secret: encryptionSecret, salt: name });
      if (!claims) return null;
      if (typeof claims.exp === "number") cache.expireBy(key, claims.exp * 1000);
      return sessionUserFromToken(claims, options.adminUsers ?? processEnv.ADMIN_USERS);
    } catch {
      // Auth.js treats a cookie it cannot decrypt, or one past its exp, as no session.
      return null;
    }
  };

  return async (request) => {
    const name = isHttpsSite(request.headers, request.url, env)
      ? SECURE_SESSION_COOKIE
      : SESSION_COOKIE;
    const token = readChunkedCookie(request.headers.get("cookie") ?? "", name);
    // Ours are under 1 KB; a longer one is junk, and not worth decrypting or remembering.
    if (!token || token.length > MAX_TOKEN_LENGTH) return null;
    // A digest, not the token: 10,000 remembered 15 KB junk tokens held 150 MB.
    const key = createHash("sha256").update(`${name}=${token}`).digest("base64");
    let read = cache.get(key);
    if (!read) {
      // secret() throws when AUTH_SECRET is missing in production: a 500, never "signed out".
      read = decrypt(key, name, token, secret());
      cache.set(key, read, now() + ttlMs);
    }
    const user = await read;
    return user && (!options.isCurrent || (await options.isCurrent(user))) ? user : null;
  };
}

/**
 * The cookie `name`, or Auth.js's chunks of it (`name.0`, `name.1`, …, for tokens over 4 KB)
 * joined in order. Of duplicates (one per path or domain that set it) the first wins, as in
 * Auth.js's own parser, so that the pages and the Server Events endpoints agree on who is
 * signed in.
 */
export function readChunkedCookie(header: string, name: string): string | undefined {
  let whole: string | undefined;
  let chunks: [number, string][] | undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    if (!key.startsWith(name)) continue;
    const value = part.slice(eq + 1).trim();
    if (key === name) whole ??= value;
    else if (/^\.\d{1,3}$/u.test(key.slice(name.length))) {
      const index = Number(key.slice(name.length + 1));
      if (!chunks?.some(([seen]) => seen === index)) (chunks ??= []).push([index, value]);
    }
  }
  // Both at once (one planted beside the other): Auth.js joins them all into a token that does
  // not verify, so the pages see nobody signed in; so must the endpoints.
  if (whole !== undefined && chunks) return undefined;
  if (!chunks) return whole || undefined;
  chunks.sort((a, b) => a[0] - b[0]);
  return chunks.map(([, value]) => value).join("") || undefined;
}
