import { decode, encode } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";
import {
  createSessionReader,
  readChunkedCookie,
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  type SessionReaderOptions,
} from "./session-cookie";

const secret = "unit-test-secret-at-least-32-characters!";
const alice = { uid: "u-alice", name: "alice", accountRole: "admin", sid: "session-a" };

function head(cookie: string, extra: Record<string, string> = {}, url = "http://app/x") {
  const headers = new Headers({ cookie, ...extra });
  return { method: "GET", url, headers };
}

/** A session cookie as Auth.js writes it: a JWE, salted with the cookie's name. */
async function mint(claims: Record<string, unknown>, salt = SESSION_COOKIE, maxAge = 3600) {
  return encode({ token: claims, secret, salt, maxAge });
}

function reader(options: Partial<SessionReaderOptions> = {}) {
  const decodeSpy = vi.fn<NonNullable<SessionReaderOptions["decode"]>>((params) => decode(params));
  const clock = { now: Date.now() };
  const read = createSessionReader({
    secret: () => secret,
    decode: decodeSpy,
    now: () => clock.now,
    env: {},
    adminUsers: [],
    ...options,
  });
  return { read, decodeSpy, clock };
}

describe("createSessionReader", () => {
  it("maps the token to session.user (auth.ts's session callback calls the same function)", async () => {
    const { read } = reader();
    const token = await mint(alice);
    expect(await read(head(`${SESSION_COOKIE}=${token}`))).toEqual({
      id: "u-alice",
      name: "alice",
      role: "admin",
      sessionId: "session-a",
      credentialVersion: 0,
    });
    const bare = await mint({ uid: "u-b", name: "bob" });
    expect(await read(head(`${SESSION_COOKIE}=${bare}`))).toMatchObject({
      role: "user",
      sessionId: "",
    });
  });

  it("ends a session once its password has changed, asking on every read", async () => {
    const versions = new Map([["u-alice", 1]]);
    const isCurrent = vi.fn((user: { id: string; credentialVersion: number }) =>
      Promise.resolve(versions.get(user.id) === user.credentialVersion),
    );
    const { read, decodeSpy } = reader({ isCurrent });
    const cookie = head(`${SESSION_COOKIE}=${await mint({ ...alice, cv: 1 })}`);
    expect(await read(cookie)).toMatchObject({ id: "u-alice", credentialVersion: 1 });
    versions.set("u-alice", 2);
    expect(await read(cookie)).toBeNull();
    expect(decodeSpy).toHaveBeenCalledTimes(1);
    expect(isCurrent).toHaveBeenCalledTimes(2);
  });

  it("applies ADMIN_USERS to sessions already open, granting and taking away", async () => {
    const bob = await mint({ uid: "u-bob", name: "Bob", accountRole: "user", sid: "s-b" });
    const { read: listed } = reader({ adminUsers: ["bob"] });
    expect(await listed(head(`${SESSION_COOKIE}=${bob}`))).toMatchObject({ role: "admin" });
    // A token minted while its user was listed carries only the account's role: nothing to revoke.
    const { read: unlisted } = reader({ adminUsers: [] });
    expect(await unlisted(head(`${SESSION_COOKIE}=${bob}`))).toMatchObject({ role: "user" });
    // Nor does a token from before the list was applied per request, whose `role` held it.
    const old = await mint({ uid: "u-bob", name: "Bob", role: "admin", sid: "s-old" });
    expect(await unlisted(head(`${SESSION_COOKIE}=${old}`))).toMatchObject({ role: "user" });
  });

  it("decrypts each cookie value once, and another value on its own", async () => {
    const { read, decodeSpy } = reader();
    const [a, b] = await Promise.all([mint(alice), mint({ ...alice, uid: "u-other" })]);
    await Promise.all([read(head(`${SESSION_COOKIE}=${a}`)), read(head(`${SESSION_COOKIE}=${a}`))]);
    expect(await read(head(`other=1; ${SESSION_COOKIE}=${a}`))).toMatchObject({ id: "u-alice" });
    expect(decodeSpy).toHaveBeenCalledOnce();
    expect(await read(head(`${SESSION_COOKIE}=${b}`))).toMatchObject({ id: "u-other" });
    expect(decodeSpy).toHaveBeenCalledTimes(2);
  });

  it("asks again after the TTL, and never trusts a cached answer past the token's exp", async () => {
    const { read, decodeSpy, clock } = reader({ ttlMs: 60_000 });
    const token = await mint(alice, SESSION_COOKIE, 30);
    const request = head(`${SESSION_COOKIE}=${token}`);
    expect(await read(request)).not.toBeNull();
    clock.now += 31_000; // past exp (30 s), within the TTL
    await read(request);
    expect(decodeSpy).toHaveBeenCalledTimes(2);
    const fresh = await mint(alice);
    await read(head(`${SESSION_COOKIE}=${fresh}`));
    clock.now += 61_000;
    await read(head(`${SESSION_COOKIE}=${fresh}`));
    expect(decodeSpy).toHaveBeenCalledTimes(4);
  });

  it("remembers at most maxEntries cookies", async () => {
    const { read, decodeSpy } = reader({ maxEntries: 2 });
    const tokens = await Promise.all([1, 2, 3].map((n) => mint({ ...alice, uid: `u${n}` })));
    for (const token of tokens) await read(head(`${SESSION_COOKIE}=${token}`));
    await read(head(`${SESSION_COOKIE}=${tokens[0]}`));
    expect(decodeSpy).toHaveBeenCalledTimes(4);
  });

  it("answers null for no cookie, a forged or foreign-salted one", async () => {
    const { read } = reader();
    expect(await read(head(""))).toBeNull();
    expect(await read(head(`${SESSION_COOKIE}=not-a-jwe`))).toBeNull();
    const otherKey = await encode({ token: alice, secret: "x".repeat(40), salt: SESSION_COOKIE });
    expect(await read(head(`${SESSION_COOKIE}=${otherKey}`))).toBeNull();
    const secureSalted = await mint(alice, SECURE_SESSION_COOKIE);
    expect(await read(head(`${SESSION_COOKIE}=${secureSalted}`))).toBeNull();
  });

  it("neither decrypts nor remembers a token longer than any it issues", async () => {
    const { read, decodeSpy } = reader();
    expect(await read(head(`${SESSION_COOKIE}=${"x".repeat(15_000)}`))).toBeNull();
    expect(decodeSpy).not.toHaveBeenCalled();
  });

  it("reads the __Secure- cookie on https, as Auth.js decides it (AUTH_URL, X-Forwarded-Proto)", async () => {
    const token = await mint(alice, SECURE_SESSION_COOKIE);
    const cookie = `${SECURE_SESSION_COOKIE}=${token}`;
    expect(await reader().read(head(cookie))).toBeNull();
    expect(await reader().read(head(cookie, { "x-forwarded-proto": "https" }))).not.toBeNull();
    expect(await reader().read(head(cookie, {}, "https://app/x"))).not.toBeNull();
    expect(await reader({ env: { AUTH_URL: "https://app" } }).read(head(cookie))).not.toBeNull();
  });
});

describe("readChunkedCookie", () => {
  it("joins Auth.js's chunks in order", () => {
    expect(readChunkedCookie("a.1=B; a.0=A; a.10=D; a.2=C; ab=no", "a")).toBe("ABCD");
    expect(readChunkedCookie("x=1; a=whole", "a")).toBe("whole");
    expect(readChunkedCookie("x=1", "a")).toBeUndefined();
  });

  it("keeps the first of duplicates, as Auth.js's own parser does", () => {
    expect(readChunkedCookie("a=first; a=second", "a")).toBe("first");
    expect(readChunkedCookie("a.0=A; a.1=B; a.0=X", "a")).toBe("AB");
  });

  it("reads nobody from a whole cookie beside chunks, which Auth.js cannot verify either", () => {
    expect(readChunkedCookie("a=planted; a.0=A; a.1=B", "a")).toBeUndefined();
  });
});
