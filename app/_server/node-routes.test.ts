import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FrameReader } from "@/lib/server-events/testing/frame-reader";
import { createGuestCookieValue, GUEST_COOKIE } from "@/lib/next/guest-cookie";
import { SESSION_COOKIE } from "@/lib/next/session-cookie";

const secret = "node-routes-test-secret-at-least-32-chars";
let server: Server;
let base: string;
const streams: AbortController[] = [];

beforeAll(async () => {
  // The memory provider, whatever the shell says; the key session cookies are encrypted with.
  vi.stubEnv("DATABASE_URL", "");
  vi.stubEnv("REDIS_URL", "");
  vi.stubEnv("AUTH_SECRET", secret);
  vi.stubEnv("LOG_LEVEL", "silent");
  const { createAppNodeHandler } = await import("./node-routes");
  const handle = createAppNodeHandler();
  server = createServer((req, res) => {
    if (!handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The accounts (embedded PGlite) start and migrate in a few seconds on a busy machine.
  await (await import("@/db/auth-store")).getAuthDb();
}, 60_000);

afterAll(async () => {
  for (const controller of streams) controller.abort();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  vi.unstubAllEnvs();
});

/** A session cookie as Auth.js writes one when `name` signs in (the account is made first). */
async function sessionCookie(name: string): Promise<{ cookie: string; uid: string }> {
  const { createUser } = await import("@/db/auth-store");
  const user = await createUser(name, "correct-horse-battery");
  const uid = user.id;
  const token = await encode({
    token: { uid, name, role: "user", sid: `sid-${uid}`, cv: user.credentialVersion },
    secret,
    salt: SESSION_COOKIE,
  });
  return { cookie: `${SESSION_COOKIE}=${token}`, uid };
}

async function connect(cookie?: string) {
  const controller = new AbortController();
  streams.push(controller);
  const response = await fetch(`${base}/event-stream?channels=lobby`, {
    headers: cookie ? { cookie } : {},
    signal: controller.signal,
  });
  const info = (await new FrameReader(response.body!).next()).body as Record<string, string>;
  return info;
}

describe("the app's Node routes: identity as the App Router routes resolve it", () => {
  it("a signed-in user (Auth.js session cookie) owns their subscription", async () => {
    const { cookie: ada, uid } = await sessionCookie("ada");
    const info = await connect(ada);
    expect(info).toMatchObject({ userId: uid, displayName: "ada", isAuthenticated: "true" });
    const pulse = (cookie?: string) =>
      fetch(info.heartbeatUrl!, { method: "POST", headers: cookie ? { cookie } : {} });
    expect((await pulse(ada)).status).toBe(200);
    expect((await pulse((await sessionCookie("babbage")).cookie)).status).toBe(403);
    expect((await pulse()).status).toBe(403);
  });

  it("a session from before its password changed is no one: its heartbeats are refused", async () => {
    const { cookie, uid } = await sessionCookie("lovelace");
    const info = await connect(cookie);
    const pulse = () => fetch(info.heartbeatUrl!, { method: "POST", headers: { cookie } });
    expect((await pulse()).status).toBe(200);
    const { replacePassword } = await import("@/db/credential-versions");
    await replacePassword(uid, "a-whole-new-password", 0);
    expect((await pulse()).status).toBe(403);
    expect(await connect(cookie)).toMatchObject({ isAuthenticated: "false" });
  });

  it("a guest (se-guest cookie) owns theirs, under the same name on every connection", async () => {
    const guest = `${GUEST_COOKIE}=${createGuestCookieValue(secret)}`;
    const info = await connect(guest);
    expect(info).toMatchObject({ isAuthenticated: "false", displayName: /^user\d{5}$/u });
    const again = await connect(guest);
    expect(again).toMatchObject({ userId: info.userId, displayName: info.displayName });
    expect(again.id).not.toBe(info.id);
    const pulse = (cookie?: string) =>
      fetch(info.heartbeatUrl!, { headers: cookie ? { cookie } : {} });
    expect((await pulse(`${GUEST_COOKIE}=${createGuestCookieValue(secret)}`)).status).toBe(403);
    expect((await pulse(guest)).status).toBe(200);
  });

  it("serves the demo's channel routes with the channel from the path", async () => {
    const info = await connect();
    const response = await fetch(`${base}/channels/lobby/raw`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: info.id, selector: "cmd.hello", message: "hi" }),
    });
    expect(response.status).toBeLessThan(300);
  });
});
