/**
 * What a running server refuses outright, mostly with a 4xx naming the header or field at fault,
 * before Next, Auth.js or a route's handler act on the request: proxy headers no proxy sends, a
 * callback URL Auth.js would fail on, a form from another site or one that is not the form it
 * claims, a form of 10,000 repeated keys, what another site's page sends to the Server Events
 * endpoints, server actions sent something other than their form, and (`npm start`'s server
 * only) TRACE and request targets that are not a path. Runs in
 * both serve modes (SERVE_MODE).
 */
import { connect as connectSocket } from "node:net";
import { describe, expect, it } from "vitest";
import { nextServerFixture } from "./support/fixture";
import { serveMode } from "./support/next-server";

const server = nextServerFixture();

describe("what pages refuse before Next and Auth.js see it", () => {
  const page = (init: RequestInit) => fetch(`${server().baseUrl}/signin`, init);

  it("answers proxy headers no proxy sends with a 400 naming the header", async () => {
    for (const [name, value, named] of [
      ["x-forwarded-proto", "gopher", "'X-Forwarded-Proto'"],
      ["x-forwarded-host", "a b", "'X-Forwarded-Host'"],
    ] as const) {
      const response = await page({ headers: { [name]: value } });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(named);
    }
    // What proxies do send: a list, of which the client-facing proxy's entry counts.
    expect((await page({ headers: { "x-forwarded-proto": "http, https" } })).status).toBe(200);
  });

  it("answers a callback URL Auth.js would fail on with a 400 naming it, not a 500", async () => {
    const response = await fetch(
      `${server().baseUrl}/api/auth/signin?callbackUrl=${encodeURIComponent("javascript:alert(1)")}`,
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("'callbackUrl'");
  });

  it("refuses a form from another site, and a body that is not the form it claims", async () => {
    const crossSite = await page({
      method: "POST",
      headers: { origin: "https://evil.example", "next-action": "0".repeat(42) },
      body: "[]",
    });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain("'Origin'");
    const broken = await page({
      method: "POST",
      headers: { origin: server().baseUrl, "content-type": "multipart/form-data; boundary=x" },
      body: "not a form",
    });
    expect(broken.status).toBe(400);
    const bogusAction = await page({
      method: "POST",
      headers: { origin: server().baseUrl, "next-action": "bogus" },
      body: "[]",
    });
    expect(bogusAction.status).toBe(400);
    expect(await bogusAction.text()).toContain("'Next-Action'");
    // Next takes an empty one sent as a prefetch for an action too, and fails on the Origin.
    const emptyPrefetchAction = await page({
      method: "POST",
      headers: { origin: "null", "next-action": "", "next-router-prefetch": "1" },
      body: "[]",
    });
    expect(emptyPrefetchAction.status).toBe(403);
  });
});

describe("server actions", () => {
  /** The ids of the actions a page's forms call: they are in its HTML, for anyone to read. */
  async function actionIdsOf(path: string): Promise<string[]> {
    const html = await (await fetch(`${server().baseUrl}${path}`)).text();
    return [...new Set(html.match(/\b[0-9a-f]{42}\b/gu) ?? [])];
  }

  it("answer arguments that are not the form they expect below 500, and log no error", async () => {
    const ids = [
      ...new Set([...(await actionIdsOf("/signup")), ...(await actionIdsOf("/signin"))]),
    ];
    // Sign-up, sign-in and continue-as-guest, at least.
    expect(ids.length).toBeGreaterThanOrEqual(3);
    for (const id of ids)
      for (const body of ['["$undefined","x"]', "[]", '{"a":1}', '["x"]', "[null,1]"]) {
        const response = await fetch(`${server().baseUrl}/signup`, {
          method: "POST",
          redirect: "manual",
          headers: {
            origin: server().baseUrl,
            "next-action": id,
            "content-type": "text/plain;charset=UTF-8",
          },
          body,
        });
        await response.arrayBuffer();
        expect(response.status, `action ${id} with ${body}`).toBeLessThan(500);
      }
    expect(server().server.output()).not.toMatch(/Cannot read properties of undefined/u);
  });
});

/** One raw request line (what `fetch` cannot send: `TRACE`, `*`, an absolute URL); its status. */
function sendRequestLine(port: number, line: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connectSocket(port, "127.0.0.1", () =>
      socket.write(`${line} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`),
    );
    let head = "";
    socket.on("data", (chunk: Buffer) => (head += chunk.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => resolve(Number(/^HTTP\/1\.1 (\d{3})/u.exec(head)?.[1] ?? 0)));
  });
}

describe("what the server refuses before it routes a request", () => {
  it("refuses a form of 10,000 repeated keys at once, with a 400 naming the body", async () => {
    const response = await fetch(`${server().baseUrl}/event-unregister`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "x=&".repeat(10_000),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("more than 1000 parameters");
  });

  it("refuses what another site's page sends to the Server Events endpoints: 403 naming the header", async () => {
    const base = server().baseUrl;
    const crossSite = [
      [`${base}/api/AdminAnnounce`, { origin: "https://evil.example" }, "'Origin'"],
      [`${base}/channels/home/chat`, { "sec-fetch-site": "cross-site" }, "'Sec-Fetch-Site'"],
      [`${base}/event-heartbeat?id=x`, { origin: "null" }, "'Origin'"],
    ] as const;
    for (const [url, headers, named] of crossSite) {
      const response = await fetch(url, {
        method: "POST",
        headers: { ...headers, "content-type": "text/plain" },
        body: '{"channel":"home","message":"hi","from":"x"}',
      });
      expect(response.status, url).toBe(403);
      expect(await response.text()).toContain(named);
    }
  });

  // Next throws on TRACE and on a target that is not a path, before any code of the app runs:
  // under `next start` those are Next's 500s (docs/security.md); the Node server refuses them.
  it.skipIf(serveMode() === "next")(
    "answers TRACE with 405 and a request target that is not a path with 400",
    async () => {
      const { port } = server().server;
      expect(await sendRequestLine(port, "TRACE /chat")).toBe(405);
      expect(await sendRequestLine(port, "GET *")).toBe(400);
      expect(await sendRequestLine(port, "GET http://evil.example/chat")).toBe(400);
      expect(await sendRequestLine(port, "GET //evil.example/chat")).toBe(400);
      expect(await sendRequestLine(port, "GET /healthz")).toBe(200);
    },
  );
});
