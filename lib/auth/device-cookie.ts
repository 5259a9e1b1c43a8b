import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { resolveAuthSecret } from "@/lib/next/auth-secret";

/**
 * The accounts this browser has signed in to: a signed cookie that lets their owner past a name
 * an attacker has locked with wrong passwords (a "device cookie", as OWASP describes for slowing
 * down online guessing). Failures from such a browser count against it alone. Each entry names the
 * account's credential version (db/auth-schema.ts) it was issued under: a password change retires
 * every browser remembered before it, an attacker's included.
 */
export const DEVICE_COOKIE = "se-signin-device";

export const DEVICE_COOKIE_MAX_AGE_SECONDS = 60 * 60 * 24 * 180;

/** Accounts one browser is remembered for; the one signed in to last goes first. */
const MAX_ACCOUNTS = 4;

/**
 * `<id>.<issued, base36 seconds>.<name, base64url>[.<credential version, base36>].<mac>`; entries
 * joined by `~`. Version 0 is left out, as in the entries written before versions existed.
 */
const entryPattern =
  /^([A-Za-z0-9_-]{16})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{1,88})(?:\.([1-9a-z][0-9a-z]{0,6}))?\.([A-Za-z0-9_-]{22})$/u;

interface DeviceEntry {
  /** Random per sign-in: what a trusted browser's failures are counted under. */
  id: string;
  issuedAtSeconds: number;
  nameKey: string;
  credentialVersion: number;
  text: string;
}

/**
 * What a sign-in name is counted and remembered under. Names are unique ignoring case, so "Alice"
 * and "alice" are one account. The database compares with SQL `lower()`, which in some locales
 * folds more than JavaScript does (`lower('İvan')` may be `ivan`, while `"İvan".toLowerCase()`
 * is `i̇van`): marks are stripped too, so that no spelling the database takes for a name gets a
 * count of its own. It folds more than needed ("José" and "jose" share a count), never less.
 * Bounded in length.
 */
export const signInNameKey = (name: string) =>
  name.trim().normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().slice(0, 64);

function deviceKey(secret: string): Buffer {
  return createHmac("sha256", secret).update("se-signin-device cookie v1").digest();
}

/** Version 0 signs exactly what entries signed before versions existed, so those still verify. */
const macOf = (secret: string, id: string, issued: string, name: string, version: string) =>
  createHmac("sha256", deviceKey(secret))
    .update(version ? `${id}:${issued}:${name}:${version}` : `${id}:${issued}:${name}`)
    .digest()
    .subarray(0, 16)
    .toString("base64url");

/**
 * The valid entries of `value`, in order. Every entry is looked at: a cookie planted ahead of the
 * real one (a longer path, a sibling domain) must not push the real entries out of sight.
 */
function parseEntries(value: string | undefined, secret: string, nowMs: number): DeviceEntry[] {
  const entries: DeviceEntry[] = [];
  for (const text of (value ?? "").split("~")) {
    const match = entryPattern.exec(text);
    if (!match) continue;
    const [, id = "", issued = "", name = "", version = "", mac = ""] = match;
    const expected = Buffer.from(macOf(secret, id, issued, name, version));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) continue;
    const issuedAtSeconds = parseInt(issued, 36);
    if (nowMs / 1000 - issuedAtSeconds > DEVICE_COOKIE_MAX_AGE_SECONDS) continue;
    const nameKey = Buffer.from(name, "base64url").toString();
    entries.push({
      id,
      issuedAtSeconds,
      nameKey,
      credentialVersion: parseInt(version || "0", 36),
      text,
    });
  }
  return entries;
}

/**
 * Every device cookie in a `Cookie` header, as one value: a browser sends several of one name when
 * someone planted another (on a longer path, or for a parent domain), and only the real one's
 * entries verify.
 */
export function deviceCookieFrom(cookieHeader: string | null): string | undefined {
  const values: string[] = [];
  for (const part of (cookieHeader ?? "").split(";")) {
    const [name, value] = part.trim().split("=", 2);
    if (name === DEVICE_COOKIE && value) values.push(value);
  }
  return values.length > 0 ? values.join("~") : undefined;
}

/** An account as the cookie knows it: its name, and its credential version now. */
export interface RememberedAccount {
  name: string;
  credentialVersion: number;
}

/**
 * The id this browser signed in to the account under, when its cookie proves it did since the
 * account's password last changed; else undefined.
 */
export function recognizedDevice(
  cookieValue: string | undefined,
  account: RememberedAccount,
  secret: string = resolveAuthSecret(),
  nowMs: number = Date.now(),
): string | undefined {
  const key = signInNameKey(account.name);
  return parseEntries(cookieValue, secret, nowMs).find(
    (entry) => entry.nameKey === key && entry.credentialVersion === account.credentialVersion,
  )?.id;
}

/** The cookie's new value once this browser has signed in to `account`: that account first. */
export function rememberDevice(
  cookieValue: string | undefined,
  account: RememberedAccount,
  secret: string = resolveAuthSecret(),
  nowMs: number = Date.now(),
): string {
  const key = signInNameKey(account.name);
  const id = randomBytes(12).toString("base64url");
  const issued = Math.floor(nowMs / 1000).toString(36);
  const encodedName = Buffer.from(key).toString("base64url");
  const version = account.credentialVersion > 0 ? account.credentialVersion.toString(36) : "";
  const signed = version ? `${encodedName}.${version}` : encodedName;
  const fresh = `${id}.${issued}.${signed}.${macOf(secret, id, issued, encodedName, version)}`;
  const others = parseEntries(cookieValue, secret, nowMs)
    .filter((entry) => entry.nameKey !== key)
    .map((entry) => entry.text);
  return [...new Set([fresh, ...others])].slice(0, MAX_ACCOUNTS).join("~");
}

/** Cookie attributes for the device cookie: http-only, `Secure` over https, 180 days. */
export function deviceCookieOptions(isHttps: boolean) {
  return {
    httpOnly: true,
    secure: isHttps,
    sameSite: "lax" as const,
    path: "/",
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  };
}
