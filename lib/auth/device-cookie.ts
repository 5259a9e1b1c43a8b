import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { resolveAuthSecret } from "@/lib/next/auth-secret";

/**
 * The accounts this browser has signed in to: a signed cookie that lets their owner past a name
 * an attacker has locked with wrong passwords (a "device cookie", as OWASP describes for slowing
 * down online guessing). Failures from such a browser count against it alone.
 */
export const DEVICE_COOKIE = "se-signin-device";

export const DEVICE_COOKIE_MAX_AGE_SECONDS = 60 * 60 * 24 * 180;

/** Accounts one browser is remembered for; the one signed in to last goes first. */
const MAX_ACCOUNTS = 4;

/** `<id>.<issued, base36 seconds>.<name, base64url>.<mac>`; entries joined by `~`. */
const entryPattern =
  /^([A-Za-z0-9_-]{16})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{1,88})\.([A-Za-z0-9_-]{22})$/u;

interface DeviceEntry {
  /** Random per sign-in: what a trusted browser's failures are counted under. */
  id: string;
  issuedAtSeconds: number;
  nameKey: string;
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

const macOf = (secret: string, id: string, issued: string, name: string) =>
  createHmac("sha256", deviceKey(secret))
    .update(`${id}:${issued}:${name}`)
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
    const [, id, issued, name, mac] = match as unknown as [string, string, string, string, string];
    const expected = Buffer.from(macOf(secret, id, issued, name));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) continue;
    const issuedAtSeconds = parseInt(issued, 36);
    if (nowMs / 1000 - issuedAtSeconds > DEVICE_COOKIE_MAX_AGE_SECONDS) continue;
    entries.push({ id, issuedAtSeconds, nameKey: Buffer.from(name, "base64url").toString(), text });
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

/** The id this browser signed in to `name` under, when its cookie proves it did; else undefined. */
export function recognizedDevice(
  cookieValue: string | undefined,
  name: string,
  secret: string = resolveAuthSecret(),
  nowMs: number = Date.now(),
): string | undefined {
  const key = signInNameKey(name);
  return parseEntries(cookieValue, secret, nowMs).find((entry) => entry.nameKey === key)?.id;
}

/** The device id a request's cookie proves for `name`, if any. */
export function requestDevice(request: Request, name: string): string | undefined {
  return recognizedDevice(deviceCookieFrom(request.headers.get("cookie")), name);
}

/** The cookie's new value once this browser has signed in to `name`: that account first. */
export function rememberDevice(
  cookieValue: string | undefined,
  name: string,
  secret: string = resolveAuthSecret(),
  nowMs: number = Date.now(),
): string {
  const key = signInNameKey(name);
  const id = randomBytes(12).toString("base64url");
  const issued = Math.floor(nowMs / 1000).toString(36);
  const encodedName = Buffer.from(key).toString("base64url");
  const fresh = `${id}.${issued}.${encodedName}.${macOf(secret, id, issued, encodedName)}`;
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
