import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { resolveAuthSecret } from "./auth-secret";

/** The cookie holding a guest's identity over plain http (local development); server-only. */
export const GUEST_COOKIE = "se-guest";

/**
 * Its name over https. Browsers accept a `__Host-` cookie only when it is `Secure`, set over
 * https, for `/` and for this host alone: nobody on a sibling subdomain, or in the middle of a
 * plain-http visit, can plant one in a fresh browser to make its visitor their own guest.
 */
export const SECURE_GUEST_COOKIE = `__Host-${GUEST_COOKIE}`;

/** The one name read and written for a request: no other is read, so none other can be planted. */
const guestCookieName = (isHttps: boolean) => (isHttps ? SECURE_GUEST_COOKIE : GUEST_COOKIE);

/** A guest is the same person for this long after their first visit (the cookie's Max-Age). */
const GUEST_COOKIE_MAX_AGE_SECONDS = 60 * 60 * 24 * 30;

/** `<id>.<mac>`: 16 random bytes and a 16-byte HMAC of them, both base64url (22 characters). */
const cookiePattern = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/u;

/**
 * Guest names run from user10000 to user99999, apart from the cookieless `user1`, `user2`… until
 * that counter (ServiceStack's, shared by the cluster) passes 10,000. A name may repeat; what
 * matters never goes by name: private messages, presence and ownership go by user id.
 */
const FIRST_GUEST_NUMBER = 10_000;
const GUEST_NUMBERS = 90_000;

/** Who a guest is, derived from their cookie alone: the same in every tab, after every reload. */
export interface GuestIdentity {
  /** The cookie's random id: binds the guest's subscriptions to this browser (`requireAccess`). */
  sessionId: string;
  /**
   * Unique per guest (64 bits of an HMAC), unlike the name: private messages and presence go by
   * user id, so two guests who happen to share a number still never see each other's messages.
   */
  userId: string;
  /** `userN`, as ServiceStack names anonymous users; two guests may share one (1 in 90,000). */
  displayName: string;
}

/**
 * The key guest cookies are signed with: derived from the Auth.js secret, so a deployment has one
 * secret to set, and kept apart from it, so a guest MAC is never an Auth.js one.
 */
function guestKey(secret: string): Buffer {
  // Every heartbeat verifies the cookie: derive the key once per secret, not once per request.
  if (cachedKey?.secret !== secret)
    cachedKey = { secret, key: createHmac("sha256", secret).update("se-guest cookie v1").digest() };
  return cachedKey.key;
}
let cachedKey: { secret: string; key: Buffer } | undefined;

const mac = (key: Buffer, purpose: string, id: string) =>
  createHmac("sha256", key).update(`${purpose}:${id}`).digest();

/** A fresh, signed cookie value for a new guest. */
export function createGuestCookieValue(secret: string = resolveAuthSecret()): string {
  const id = randomBytes(16).toString("base64url");
  return `${id}.${mac(guestKey(secret), "cookie", id).subarray(0, 16).toString("base64url")}`;
}

/**
 * The guest behind a cookie value, or `undefined` when the value was not signed by this server
 * (forged, tampered with, or from before guests were signed). Only the server can mint one, so a
 * visitor cannot pick the id, and with it the name, of their choice.
 */
export function verifyGuestCookie(
  value: string,
  secret: string = resolveAuthSecret(),
): GuestIdentity | undefined {
  const match = cookiePattern.exec(value);
  if (!match) return undefined;
  const [, id, signature] = match as unknown as [string, string, string];
  const key = guestKey(secret);
  // Compared as text: base64url's last character carries unused bits, so decoding first would
  // accept several spellings of one signature.
  const expected = Buffer.from(mac(key, "cookie", id).subarray(0, 16).toString("base64url"));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const digest = mac(key, "identity", id);
  const number = FIRST_GUEST_NUMBER + (digest.readUInt32BE(0) % GUEST_NUMBERS);
  return {
    sessionId: id,
    userId: `guest-${digest.subarray(4, 12).toString("hex")}`,
    displayName: `user${number}`,
  };
}

/** Every value of cookie `name` in a `Cookie` header: a browser sends one per path and domain set. */
function cookieValues(cookieHeader: string | null, name: string): string[] {
  const values: string[] = [];
  for (const part of (cookieHeader ?? "").split(";")) {
    const [key, value] = part.trim().split("=", 2);
    if (key === name && value) values.push(value);
  }
  return values;
}

/**
 * The guest a request's cookie proves, if any: its `__Host-se-guest` over https (`isHttps`, as
 * `isHttpsSite` decides for every reader and writer), its `se-guest` over http. A browser sends several cookies when
 * one was planted next to the visitor's own (set for a narrower path by a sibling subdomain, or
 * by a man in the middle over http): then the request proves no guest unless every valid one
 * names the same, so that whoever planted one is never taken for the visitor, nor the visitor
 * for them.
 */
export function readGuest(
  cookieHeader: string | null,
  isHttps: boolean,
  secret: string = resolveAuthSecret(),
): GuestIdentity | undefined {
  const guests = cookieValues(cookieHeader, guestCookieName(isHttps)).flatMap(
    (value) => verifyGuestCookie(value, secret) ?? [],
  );
  const [first] = guests;
  return guests.every((guest) => guest.sessionId === first?.sessionId) ? first : undefined;
}

/**
 * The guest cookie to set: `guestCookieName(isHttps)`, http-only, 30 days, `Secure` over https
 * (which `__Host-` requires; over plain http, in local development, a browser would drop it).
 */
export function guestCookie(value: string, isHttps: boolean) {
  return { name: guestCookieName(isHttps), value, options: guestCookieOptions(isHttps) };
}

function guestCookieOptions(isHttps: boolean) {
  return {
    httpOnly: true,
    secure: isHttps,
    sameSite: "lax" as const,
    path: "/",
    maxAge: GUEST_COOKIE_MAX_AGE_SECONDS,
  };
}
