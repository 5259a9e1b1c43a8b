import { readdirSync } from "node:fs";
import path from "node:path";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { describe, expect, it } from "vitest";
import { config } from "@/proxy";

// proxy.ts lives at the project root; its test lives here because the unit project runs lib/**.
const appDir = path.join(import.meta.dirname, "..", "..", "app");

/** Every file called `name` under app/, as the URL it serves (route groups dropped). */
function routesNamed(name: string): string[] {
  return readdirSync(appDir, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === name)
    .map((file) => {
      const segments = path
        .dirname(file)
        .split(path.sep)
        .filter((segment) => segment !== "." && !/^\(.+\)$/u.test(segment))
        .map((segment) => (segment.startsWith("[...") ? "a/b" : segment.replace(/^\[.+\]$/u, "x")));
      return `/${segments.join("/")}`;
    });
}

const runsProxy = (url: string, headers: Record<string, string> = {}) =>
  unstable_doesMiddlewareMatch({ config, url, headers });

describe("proxy matcher", () => {
  const pages = routesNamed("page.tsx");
  const handlers = routesNamed("route.ts");

  it("finds the app's pages and route handlers", () => {
    expect(pages).toEqual(expect.arrayContaining(["/", "/chat", "/shapes", "/signin", "/signup"]));
    expect(handlers).toEqual(expect.arrayContaining(["/event-stream", "/event-heartbeat"]));
  });

  it("runs on every page, with its query string", () => {
    for (const page of pages) expect(runsProxy(page), page).toBe(true);
    expect(runsProxy("/chat?channels=home,lobby")).toBe(true);
  });

  it("skips every route handler: the event stream and heartbeats pay nothing", () => {
    for (const handler of handlers) expect(runsProxy(handler), handler).toBe(false);
    for (const url of [
      "/event-stream?channels=home",
      "/event-heartbeat?id=abc",
      "/event-subscribers/abc",
      "/json/reply/PostChatToChannel",
      "/api/auth/session",
      "/metrics",
    ])
      expect(runsProxy(url), url).toBe(false);
  });

  it("skips static files", () => {
    for (const url of ["/_next/static/chunks/main.js", "/_next/image?url=%2Fa.png", "/favicon.ico"])
      expect(runsProxy(url), url).toBe(false);
  });

  it("runs on a page's router prefetch, where Next may take a POST for a server action", () => {
    expect(runsProxy("/", { "next-router-prefetch": "1" })).toBe(true);
    expect(runsProxy("/chat", { purpose: "prefetch" })).toBe(true);
  });

  it("runs on a form post to any path, where Next would take it for a server action", () => {
    const form = { "content-type": "multipart/form-data; boundary=x" };
    for (const url of [...handlers, "/api/a/b", "/channels/x", "/chat"]) {
      expect(runsProxy(url, form), url).toBe(true);
      expect(runsProxy(url, { "next-action": "x" }), url).toBe(true);
    }
    expect(runsProxy("/event-heartbeat?id=abc", { "content-type": "text/plain" })).toBe(false);
  });

  it("runs on any path with a percent-escape that may not decode, and skips plain ASCII ones", () => {
    for (const url of [
      "/api/%ZZ",
      "/channels/%FF/chat",
      "/event-subscribers/%E0%A4",
      "/x/%",
      "/a%2",
    ])
      expect(runsProxy(url), url).toBe(true);
    for (const url of [
      "/channels/a%20b/chat",
      "/event-subscribers/a%2Fb",
      "/api/auth/session?x=%ZZ",
    ])
      expect(runsProxy(url), url).toBe(false);
  });

  it("matches whole segments only: look-alike pages still get the policy", () => {
    for (const url of ["/apis", "/metrics-dashboard", "/channelsx", "/event-streams"])
      expect(runsProxy(url), url).toBe(true);
  });
});
